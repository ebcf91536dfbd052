package com.cruddur.batch.dynamodb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.Assert;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The settings a Query and a Scan reader share; each reader's own builder adds its own ones and builds
 * its request from these. {@code B} is that builder, so that chained calls keep its type.
 */
public abstract class DynamoDbPagingItemReaderBuilder<B extends DynamoDbPagingItemReaderBuilder<B>> {

    protected DynamoDbClient dynamoDb;
    protected String name;
    protected String tableName;
    protected String indexName;
    protected String filter;
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    protected Integer pageSize;
    protected Boolean consistentRead;
    protected List<String> keyAttributes;

    protected DynamoDbPagingItemReaderBuilder(String name) {
        this.name = name;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public B dynamoDb(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
        return self();
    }

    /** Prefix of this reader's keys in the ExecutionContext. */
    public B name(String name) {
        this.name = name;
        return self();
    }

    public B tableName(String tableName) {
        this.tableName = tableName;
        return self();
    }

    public B indexName(String indexName) {
        this.indexName = indexName;
        return self();
    }

    /** Applied by DynamoDB after reading a page: filtered-out items still count against the page size. */
    public B filter(String expression) {
        this.filter = expression;
        return self();
    }

    public B value(String placeholder, String value) {
        values.put(placeholder, AttributeValue.fromS(value));
        return self();
    }

    public B value(String placeholder, AttributeValue value) {
        values.put(placeholder, value);
        return self();
    }

    public B attributeName(String placeholder, String name) {
        names.put(placeholder, name);
        return self();
    }

    /** Items per page (the request's Limit); DynamoDB's 1 MB page limit applies either way. */
    public B pageSize(Integer pageSize) {
        this.pageSize = pageSize;
        return self();
    }

    public B consistentRead(boolean consistentRead) {
        this.consistentRead = consistentRead;
        return self();
    }

    /** The key attribute names (table's, then index's), to save a DescribeTable; found from the table when not given. */
    public B keyAttributes(String... attributeNames) {
        this.keyAttributes = List.of(attributeNames);
        return self();
    }

    /** Fails on a missing client or table; call first in {@code build()}. */
    protected void checkCommon() {
        Assert.notNull(dynamoDb, "dynamoDb is required");
        Assert.hasText(tableName, "tableName is required");
    }

    /** The placeholders' values, or null when none were given (DynamoDB rejects an empty map). */
    protected Map<String, AttributeValue> values() {
        return values.isEmpty() ? null : Map.copyOf(values);
    }

    /** The placeholders' attribute names, or null when none were given. */
    protected Map<String, String> names() {
        return names.isEmpty() ? null : Map.copyOf(names);
    }

    /** The reader, named. */
    protected <R extends DynamoDbPagingItemReader> R named(R reader) {
        reader.setName(name);
        return reader;
    }
}
