package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;

/** Restart state is written as readable JSON, and state written by Spring Batch's default serializer still loads. */
class JobRepositoryConfigurationTest {

    private final JobRepositoryConfiguration.JsonExecutionContextSerializer serializer =
            new JobRepositoryConfiguration.JsonExecutionContextSerializer();

    @Test
    void writesJsonAndReadsItBack() throws Exception {
        Map<String, Object> context = new HashMap<>(Map.of("segment.last-key", "{\"pk\":{\"S\":\"MSG#1\"}}",
                "read.count", 42L));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.serialize(context, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{").contains("\"read.count\"", "MSG#1");
        assertThat(serializer.deserialize(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(context);
    }

    @Test
    void readsContextsWrittenInTheLegacyJavaSerialisedFormat() throws Exception {
        Map<String, Object> context = new HashMap<>(Map.of("launcher.pid", 7L, "launcher.host", "vm"));
        ByteArrayOutputStream legacy = new ByteArrayOutputStream();
        new DefaultExecutionContextSerializer().serialize(context, legacy);

        assertThat(serializer.deserialize(new ByteArrayInputStream(legacy.toByteArray()))).isEqualTo(context);
    }
}
