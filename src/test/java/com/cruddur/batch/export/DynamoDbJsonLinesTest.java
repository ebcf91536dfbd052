package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.dynamodb.DynamoDbJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The export's byte encoder writes exactly the lines DynamoDbJson.toExportLine writes (and reads back). */
class DynamoDbJsonLinesTest {

    @Test
    void sameLinesAsDynamoDbJsonForEveryType() throws Exception {
        Map<String, AttributeValue> everyType = Map.of("s", AttributeValue.fromS("𝄞 \"q\" \\ \n\t\u0001 中文 é </>"),
                "n", AttributeValue.fromN("-1.50E+3"),
                "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, (byte) 255})),
                "bool", AttributeValue.fromBool(false), "null", AttributeValue.fromNul(true),
                "ss", AttributeValue.fromSs(List.of("a", "ü\"")), "ns", AttributeValue.fromNs(List.of("1", "2")),
                "bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}))),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromL(List.of()))),
                "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromM(Map.of("z", AttributeValue.fromN("0"))))));
        Map<String, AttributeValue> plain = Map.of("pk", AttributeValue.fromS("MSG#1"), "sk", AttributeValue.fromS("2026"));
        List<Map<String, AttributeValue>> items = List.of(everyType, plain, Map.of(), everyType);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DynamoDbJsonLines().encode(items, out);

        StringBuilder expected = new StringBuilder();
        for (Map<String, AttributeValue> item : items) {
            expected.append(DynamoDbJson.toExportLine(item)).append('\n');
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(out.toByteArray()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(DynamoDbJson.fromExportLine(lines[0])).isEqualTo(everyType);
    }
}
