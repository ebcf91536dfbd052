package com.cruddur.batch.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class MessageKeysTest {

    @Test
    void timesAreFixedWidthUtcWithMicrosecondsAndOffset() {
        assertThat(MessageKeys.formatTime(Instant.parse("2026-03-23T22:42:12.160498123Z")))
                .isEqualTo("2026-03-23T22:42:12.160498+00:00");
        assertThat(MessageKeys.formatTime(Instant.parse("2027-01-01T00:00:00Z")))
                .isEqualTo("2027-01-01T00:00:00.000000+00:00");
        assertThat(MessageKeys.parseTime("2026-03-23T22:42:12.160498+00:00"))
                .isEqualTo(Instant.parse("2026-03-23T22:42:12.160498Z"));
    }

    @Test
    void stringOrderIsTimeOrderAcrossTheYearBoundary() {
        String lastOfYear = MessageKeys.formatTime(Instant.parse("2026-12-31T23:59:59.999999Z"));
        String firstOfNext = MessageKeys.formatTime(Instant.parse("2027-01-01T00:00:00.000001Z"));
        assertThat(lastOfYear).isLessThan(firstOfNext).hasSameSizeAs(firstOfNext);
    }

    @Test
    void rowsRoundTripThroughItems() {
        UUID group = UUID.randomUUID();
        MessageRow message = new MessageRow(group, "2026-03-23T22:42:12.160498+00:00", UUID.randomUUID(), "hi",
                UUID.randomUUID(), "Andrew Brown", "andrewbrown");
        assertThat(message.toItem().get("pk").s()).isEqualTo("MSG#" + group);
        assertThat(MessageRow.fromItem(message.toItem())).isEqualTo(message);
        GroupRow row = new GroupRow(UUID.randomUUID(), message.sk(), group, "hi", UUID.randomUUID(), "Bayko",
                "bayko");
        assertThat(row.toItem().get("pk").s()).startsWith("GRP#");
        assertThat(row.toItem().get("message_group_uuid").s()).isEqualTo(group.toString());
        assertThat(GroupRow.fromItem(row.toItem())).isEqualTo(row);
    }
}
