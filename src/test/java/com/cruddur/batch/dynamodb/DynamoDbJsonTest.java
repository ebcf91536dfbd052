package com.cruddur.batch.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.json.JsonMapper;

/** DynamoDB JSON both ways, and the messages a corrupt export line gets. */
class DynamoDbJsonTest {

    @Test
    void everyTypeRoundTrips() {
        Map<String, AttributeValue> item = Map.of("s", AttributeValue.fromS("𝄞 \"q\" \\ \n 中文"),
                "n", AttributeValue.fromN("-1.50E+3"),
                "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, (byte) 255})),
                "bool", AttributeValue.fromBool(false), "null", AttributeValue.fromNul(true),
                "ss", AttributeValue.fromSs(List.of("a", "b")), "ns", AttributeValue.fromNs(List.of("1", "2")),
                "bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}))),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromL(List.of()))),
                "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromM(Map.of("z", AttributeValue.fromN("0"))))));

        String line = DynamoDbJson.toExportLine(item);

        assertThat(line).startsWith("{\"Item\":{").doesNotContain("\n");
        assertThat(line).contains("\"n\":{\"N\":\"-1.50E+3\"}", "\"b\":{\"B\":\"AP8=\"}", "\"null\":{\"NULL\":true}");
        assertThat(DynamoDbJson.fromExportLine(line)).isEqualTo(item);
    }

    @Test
    void corruptLinesSayWhatIsWrong() {
        assertThatThrownBy(() -> DynamoDbJson.fromExportLine("{\"Item\":{\"pk\":{\"S\":\"x\"}")).hasMessageStartingWith(
                "not valid JSON");
        assertThatThrownBy(() -> DynamoDbJson.fromExportLine("{\"Items\":{}}")).hasMessage("no \"Item\" property");
        assertThatThrownBy(() -> DynamoDbJson.fromExportLine("{\"Item\":{\"pk\":{\"X\":\"x\"}}}"))
                .hasMessage("attribute \"pk\" has unknown type X");
        assertThatThrownBy(() -> DynamoDbJson.fromExportLine("{\"Item\":{\"pk\":{\"N\":5}}}"))
                .hasMessageContaining("expected a string for \"pk\"");
        assertThatThrownBy(() -> DynamoDbJson.fromExportLine("{\"Item\":{\"b\":{\"B\":\"***\"}}}"))
                .hasMessage("attribute \"b\" is not base64");
        assertThatThrownBy(() -> DynamoDbJson.fromExportLine("{\"Item\":{}} trailing")).hasMessageContaining(
                "JSON");
    }

    @Test
    void aParseErrorNamesThePositionNotTheText() {
        // Jackson's own message quotes the offending token, which may be message text or an e-mail.
        assertThatThrownBy(() -> DynamoDbJson.fromExportLine("{\"Item\":{\"message\":{\"S\":secretword}}}"))
                .hasMessage("not valid JSON at column 25").hasNoCause();
        assertThatThrownBy(() -> DynamoDbJson.fromJson("{\"pk\": lena@example.com}"))
                .hasMessageStartingWith("not valid JSON").message().doesNotContain("lena");
    }

    @Test
    void aParsedTreeReadsLikeTextWithTheSameErrors() {
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("GRP#x"),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromBool(true))),
                "m", AttributeValue.fromM(Map.of("ss", AttributeValue.fromSs(List.of("a")))));
        JsonMapper mapper = JsonMapper.builder().build();

        assertThat(DynamoDbJson.fromJson(mapper.readTree(DynamoDbJson.toJson(item)))).isEqualTo(item);
        assertThat(DynamoDbJson.fromJson(mapper.readTree("{\"Keys\":null}").get("Keys"))).isNull();
        assertThat(DynamoDbJson.fromJson(mapper.readTree("{}").get("NewImage"))).isNull();
        assertThatThrownBy(() -> DynamoDbJson.fromJson(mapper.readTree("{\"pk\":{\"X\":\"x\"}}")))
                .hasMessage("attribute \"pk\" has unknown type X");
        assertThatThrownBy(() -> DynamoDbJson.fromJson(mapper.readTree("[1]")))
                .hasMessageStartingWith("expected an item object");
    }
}
