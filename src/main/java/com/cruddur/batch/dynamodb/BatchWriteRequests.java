package com.cruddur.batch.dynamodb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Turns one chunk's write requests into {@code BatchWriteItem} requests for one table: a key given twice
 * is written once with its last value (DynamoDB rejects a request that holds one key twice, and requests
 * in flight together would race), puts and deletes go into separate requests (the writer sends the
 * deletes only once the puts are written), and each request holds at most 25 items and 16 MB. An item
 * over DynamoDB's 400 KB limit, or one without a key attribute, is refused before anything is sent.
 */
final class BatchWriteRequests {

    private final String tableName;
    private final List<String> keyAttributes;

    BatchWriteRequests(String tableName, List<String> keyAttributes) {
        this.tableName = tableName;
        this.keyAttributes = List.copyOf(keyAttributes);
    }

    /** One chunk's requests: its keys, the batches of puts, then the batches of deletes. */
    record Prepared(Set<List<AttributeValue>> keys, List<List<WriteRequest>> puts, List<List<WriteRequest>> deletes) {
    }

    Prepared prepare(Iterable<WriteRequest> requests) {
        Map<List<AttributeValue>, WriteRequest> byKey = deduplicated(requests);
        List<WriteRequest> puts = new ArrayList<>();
        List<WriteRequest> deletes = new ArrayList<>();
        for (WriteRequest request : byKey.values()) {
            (request.putRequest() != null ? puts : deletes).add(request);
        }
        return new Prepared(byKey.keySet(), batches(puts), batches(deletes));
    }

    private Map<List<AttributeValue>, WriteRequest> deduplicated(Iterable<WriteRequest> requests) {
        Map<List<AttributeValue>, WriteRequest> byKey = new LinkedHashMap<>();
        for (WriteRequest request : requests) {
            Map<String, AttributeValue> item = attributes(request);
            List<AttributeValue> key = new ArrayList<>(keyAttributes.size());
            for (String name : keyAttributes) {
                AttributeValue part = item.get(name);
                if (part == null) {
                    // Key values and attribute names only: the item's other values are record contents
                    // (message text, names), and this message becomes the run's reason line and a log line.
                    throw new IllegalArgumentException("an item for table " + tableName + " has no key attribute '"
                            + name + "' " + key(item) + "; its attributes: " + String.join(", ", new TreeSet<>(item.keySet())));
                }
                key.add(part);
            }
            // remove first so that the last occurrence also takes the last position
            byKey.remove(key);
            byKey.put(key, request);
        }
        return byKey;
    }

    private List<List<WriteRequest>> batches(Collection<WriteRequest> requests) {
        List<List<WriteRequest>> batches = new ArrayList<>();
        List<WriteRequest> current = new ArrayList<>();
        long currentBytes = 0;
        for (WriteRequest request : requests) {
            Map<String, AttributeValue> item = attributes(request);
            long size = itemSize(item);
            if (size > DynamoDbBatchItemWriter.MAX_ITEM_BYTES) {
                throw new DynamoDbBatchItemWriter.ItemTooLargeException("item " + key(item) + " is " + size
                        + " bytes; DynamoDB allows " + DynamoDbBatchItemWriter.MAX_ITEM_BYTES);
            }
            if (current.size() == DynamoDbBatchItemWriter.MAX_ITEMS_PER_REQUEST
                    || currentBytes + size > DynamoDbBatchItemWriter.MAX_REQUEST_BYTES) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(request);
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    private static Map<String, AttributeValue> attributes(WriteRequest request) {
        return request.putRequest() != null ? request.putRequest().item() : request.deleteRequest().key();
    }

    /** The item's key values, for messages: no other attribute of the item. */
    private String key(Map<String, AttributeValue> item) {
        StringBuilder text = new StringBuilder();
        for (String name : keyAttributes) {
            AttributeValue value = item.get(name);
            text.append(text.isEmpty() ? "" : ", ").append(name).append('=').append(value == null ? null : value.s());
        }
        return "(" + text + ")";
    }

    /**
     * DynamoDB's item size: attribute names plus values (UTF-8 bytes of strings, raw bytes of binaries,
     * an approximation for numbers and nested types that errs on the large side).
     */
    static long itemSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + valueSize(attribute.getValue());
        }
        return size;
    }

    private static long valueSize(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            return value.n().length() + 1;
        }
        if (value.b() != null) {
            return value.b().asByteArray().length;
        }
        if (value.hasSs()) {
            return value.ss().stream().mapToLong(BatchWriteRequests::utf8).sum();
        }
        if (value.hasNs()) {
            return value.ns().stream().mapToLong(n -> n.length() + 1).sum();
        }
        if (value.hasBs()) {
            return value.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
        }
        if (value.hasM()) {
            return 3 + value.m().entrySet().stream()
                    .mapToLong(e -> utf8(e.getKey()) + valueSize(e.getValue()) + 1).sum();
        }
        if (value.hasL()) {
            return 3 + value.l().stream().mapToLong(v -> valueSize(v) + 1).sum();
        }
        return 1; // BOOL, NULL
    }

    /**
     * The length of {@code text.getBytes(UTF_8)}, counted without making the bytes (this runs for every
     * attribute of every item): 1 byte per char below U+0080, 2 below U+0800, 4 per surrogate pair, 1 for a
     * lone surrogate (encoded as '?'), else 3.
     */
    static long utf8(String text) {
        int length = text.length();
        long bytes = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 2; // 4 bytes for the two chars
                i++;
            }
            else if (!Character.isSurrogate(c)) {
                bytes += 2;
            }
        }
        return bytes;
    }
}
