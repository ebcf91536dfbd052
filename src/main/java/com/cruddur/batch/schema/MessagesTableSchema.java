package com.cruddur.batch.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The messages table as the app expects it (docs/data-model.md): the CreateTable request, and the
 * comparison of an existing table against it.
 */
public final class MessagesTableSchema {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GROUP_UUID = "message_group_uuid";

    private MessagesTableSchema() {
    }

    /** @param throughput null for PAY_PER_REQUEST */
    public static CreateTableRequest createRequest(String table, String index, ProvisionedThroughput throughput) {
        GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                .indexName(index)
                .keySchema(key(GROUP_UUID, KeyType.HASH), key(SK, KeyType.RANGE))
                .projection(p -> p.projectionType(ProjectionType.ALL));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table)
                .attributeDefinitions(string(PK), string(SK), string(GROUP_UUID))
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_IMAGE).build());
        if (throughput == null) {
            request.billingMode(BillingMode.PAY_PER_REQUEST);
        }
        else {
            request.billingMode(BillingMode.PROVISIONED).provisionedThroughput(throughput);
            gsi.provisionedThroughput(throughput);
        }
        return request.globalSecondaryIndexes(gsi.build()).build();
    }

    /**
     * Differences that break the app: keys, attribute types, the GSI, the stream view type.
     *
     * @param streamMayBeUnreported true against dynalite, which accepts a stream spec but never reports one
     */
    public static List<String> drift(TableDescription table, String index, boolean streamMayBeUnreported) {
        List<String> problems = new ArrayList<>();
        String keys = describeKeys(table.keySchema());
        if (!keys.equals("pk HASH, sk RANGE")) {
            problems.add("key schema: expected pk HASH, sk RANGE; found " + keys);
        }
        Map<String, String> types = new TreeMap<>(table.attributeDefinitions().stream()
                .collect(Collectors.toMap(AttributeDefinition::attributeName, a -> a.attributeTypeAsString())));
        for (String attribute : List.of(PK, SK, GROUP_UUID)) {
            String type = types.get(attribute);
            if (!"S".equals(type)) {
                problems.add("attribute " + attribute + ": expected type S; found " + (type == null ? "none" : type));
            }
        }
        GlobalSecondaryIndexDescription gsi = table.globalSecondaryIndexes().stream()
                .filter(g -> g.indexName().equals(index)).findFirst().orElse(null);
        if (gsi == null) {
            problems.add("index " + index + ": missing; found "
                    + (table.hasGlobalSecondaryIndexes() && !table.globalSecondaryIndexes().isEmpty()
                            ? table.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName)
                                    .collect(Collectors.joining(", "))
                            : "no global secondary index"));
        }
        else {
            String gsiKeys = describeKeys(gsi.keySchema());
            if (!gsiKeys.equals("message_group_uuid HASH, sk RANGE")) {
                problems.add("index " + index + " keys: expected message_group_uuid HASH, sk RANGE; found " + gsiKeys);
            }
            if (gsi.projection() == null || gsi.projection().projectionType() != ProjectionType.ALL) {
                problems.add("index " + index + " projection: expected ALL; found "
                        + (gsi.projection() == null ? "none" : gsi.projection().projectionTypeAsString()));
            }
        }
        StreamSpecification stream = table.streamSpecification();
        if (stream == null ? !streamMayBeUnreported
                : !Boolean.TRUE.equals(stream.streamEnabled()) || stream.streamViewType() != StreamViewType.NEW_IMAGE) {
            problems.add("stream: expected enabled with NEW_IMAGE; found "
                    + (stream == null || !Boolean.TRUE.equals(stream.streamEnabled()) ? "none"
                            : stream.streamViewTypeAsString()));
        }
        return problems;
    }

    private static String describeKeys(List<KeySchemaElement> keys) {
        return keys.stream().map(k -> k.attributeName() + " " + k.keyTypeAsString()).collect(Collectors.joining(", "));
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
