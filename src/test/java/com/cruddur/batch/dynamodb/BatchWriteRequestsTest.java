package com.cruddur.batch.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The item size counts the UTF-8 bytes DynamoDB stores, the same number {@code getBytes(UTF_8)} gives. */
class BatchWriteRequestsTest {

    @Test
    void utf8LengthIsTheLengthOfTheEncodedBytes() {
        List<String> texts = List.of("", "plain ascii, with comma", "caf\u00e9 \u00fcber", "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
                "emoji \ud83d\ude00 and \ud83c\udf89", "lone high \ud83d here", "lone low \ude00 here", "ends high \ud83d",
                "\u07ff\u0800\uffff\u0080\u007f", "x".repeat(5000) + "\u00e9");
        for (String text : texts) {
            assertThat(BatchWriteRequests.utf8(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
