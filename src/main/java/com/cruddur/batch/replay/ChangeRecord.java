package com.cruddur.batch.replay;

import java.util.Map;

import com.cruddur.batch.messages.MessageKeys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One change to one item, whatever it came from: a stream record, an incremental-export line, or the
 * table itself (event {@link #TABLE}: the newest message row of a group, read now).
 *
 * @param source   where it came from, for reports and rejects: {@code file:line}, {@code shard@sequence}
 * @param eventName INSERT, MODIFY, REMOVE or TABLE
 * @param newImage the item after the change; null for REMOVE or for a group without message rows
 */
public record ChangeRecord(String source, String eventName, Map<String, AttributeValue> keys,
        Map<String, AttributeValue> newImage) {

    public static final String TABLE = "TABLE";

    public String pk() {
        AttributeValue pk = keys == null ? null : keys.get(MessageKeys.PK);
        return pk == null ? null : pk.s();
    }

    public String sk() {
        AttributeValue sk = keys == null ? null : keys.get(MessageKeys.SK);
        return sk == null ? null : sk.s();
    }
}
