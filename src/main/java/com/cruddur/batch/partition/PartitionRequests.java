package com.cruddur.batch.partition;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A partition request on the queue: {@code {"step":"export-segment","stepExecutionId":42}}. JSON rather
 * than Java serialisation, so a worker never deserialises classes named by whoever can publish to the
 * queue, and an operator can read the queue.
 */
final class PartitionRequests {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private PartitionRequests() {
    }

    static String toJson(StepExecutionRequest request) {
        return JSON.createObjectNode().put("step", request.getStepName())
                .put("stepExecutionId", request.getStepExecutionId()).toString();
    }

    /** @throws IllegalArgumentException naming what is wrong, never quoting the message */
    static StepExecutionRequest fromJson(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        }
        catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode step = node.get("step");
        JsonNode id = node.get("stepExecutionId");
        if (step == null || !step.isString() || step.stringValue().isBlank()) {
            throw new IllegalArgumentException("no step name");
        }
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
            throw new IllegalArgumentException("no step execution id");
        }
        return new StepExecutionRequest(step.stringValue(), id.longValue());
    }
}
