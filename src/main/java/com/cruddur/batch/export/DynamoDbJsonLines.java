package com.cruddur.batch.export;

import java.io.OutputStream;
import java.util.Map;

import com.cruddur.batch.dynamodb.DynamoDbJson;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Export lines ({@code {"Item":{...}}}, the same bytes as {@link DynamoDbJson#toExportLine}) written straight
 * to UTF-8 bytes by one generator per chunk. toExportLine builds a String per item through a StringWriter
 * (a synchronised StringBuffer), which the writer then copied into the chunk's text and encoded again; on
 * the export's hot path that was a third of the JSON cost.
 * The attribute walk is DynamoDbJson's own; {@code DynamoDbJsonLinesTest} checks both give the same line
 * for every attribute type.
 */
final class DynamoDbJsonLines implements LinesEncoder<Map<String, AttributeValue>> {

    /** No separator between root values: each line ends with the '\n' written after it. */
    private static final JsonFactory JSON = JsonFactory.builder().rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    @Override
    public void encode(Iterable<? extends Map<String, AttributeValue>> items, OutputStream out) {
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            for (Map<String, AttributeValue> item : items) {
                json.writeStartObject();
                json.writeName("Item");
                DynamoDbJson.writeItem(json, item);
                json.writeEndObject();
                json.writeRaw('\n');
            }
        }
    }
}
