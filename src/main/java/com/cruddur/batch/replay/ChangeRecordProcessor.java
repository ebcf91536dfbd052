package com.cruddur.batch.replay;

import java.time.format.DateTimeParseException;
import java.util.UUID;

import com.cruddur.batch.messages.MessageKeys;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Keeps what moves a group forward: INSERT and MODIFY of {@code MSG#} rows (and the table source's
 * newest rows). REMOVE and {@code GRP#} records are filtered out and counted by kind; a record that
 * cannot be read as a message row is rejected with the reason.
 */
public class ChangeRecordProcessor implements ItemProcessor<ChangeRecord, GroupUpdate> {

    private final ReplayCounters counters;

    public ChangeRecordProcessor(ReplayCounters counters) {
        this.counters = counters;
    }

    @Override
    public GroupUpdate process(ChangeRecord record) {
        String pk = record.pk();
        if (pk == null || record.sk() == null) {
            throw new RejectedRecordException(record.source(), "record without keys (pk and sk as strings)", null);
        }
        String event = record.eventName();
        if ("REMOVE".equals(event)) {
            counters.increment(ReplayCounters.IGNORED_REMOVE);
            return null;
        }
        if (!"INSERT".equals(event) && !"MODIFY".equals(event) && !ChangeRecord.TABLE.equals(event)) {
            throw new RejectedRecordException(record.source(), "unknown eventName '" + event + "'", null);
        }
        if (MessageKeys.isGroupPk(pk)) {
            counters.increment(ReplayCounters.IGNORED_GROUP_ROW);
            return null;
        }
        if (!MessageKeys.isMessagePk(pk)) {
            counters.increment(ReplayCounters.IGNORED_OTHER);
            return null;
        }
        if (record.newImage() == null) {
            if (ChangeRecord.TABLE.equals(event)) {
                counters.increment(ReplayCounters.GROUPS_WITHOUT_MESSAGES);
                return null;
            }
            throw new RejectedRecordException(record.source(),
                    event + " without NewImage (the stream must carry new images)", null);
        }
        UUID group;
        try {
            group = MessageKeys.uuidOf(pk);
        }
        catch (IllegalArgumentException e) {
            throw new RejectedRecordException(record.source(), "pk '" + pk + "' is not MSG#<uuid>", null);
        }
        try {
            MessageKeys.parseTime(record.sk());
        }
        catch (DateTimeParseException e) {
            throw new RejectedRecordException(record.source(),
                    "sk '" + record.sk() + "' is not a timestamp like 2026-03-23T22:42:12.160498+00:00", null);
        }
        AttributeValue message = record.newImage().get(MessageKeys.MESSAGE);
        if (message == null || message.s() == null) {
            throw new RejectedRecordException(record.source(), "message row without a 'message' string", null);
        }
        return new GroupUpdate(group, record.sk(), message.s(), record.source(), sender(record));
    }

    /** The message's sender, when the image names one as a UUID; only a hint for finding the group's rows. */
    private static UUID sender(ChangeRecord record) {
        AttributeValue user = record.newImage().get(MessageKeys.USER_UUID);
        if (user == null || user.s() == null) {
            return null;
        }
        try {
            return UUID.fromString(user.s());
        }
        catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }
}
