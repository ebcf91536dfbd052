package com.cruddur.batch.launch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import org.springframework.batch.core.repository.ExecutionContextSerializer;
import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;
import org.springframework.batch.core.repository.dao.JacksonExecutionContextStringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Execution contexts (the restart state of every step) are stored as JSON rather than Spring Batch's
 * default base64 Java serialisation, so an operator can read a job's position in the job repository
 * and a class change cannot make restart state unreadable. Contexts written in the old format by an
 * earlier build are still read, so a job repository from before the change keeps working. Spring
 * Boot's batch auto-configuration picks this bean up.
 */
@Configuration(proxyBeanMethods = false)
public class JobRepositoryConfiguration {

    @Bean
    ExecutionContextSerializer executionContextSerializer() {
        return new JsonExecutionContextSerializer();
    }

    static final class JsonExecutionContextSerializer implements ExecutionContextSerializer {

        private final JacksonExecutionContextStringSerializer json = new JacksonExecutionContextStringSerializer();
        private final DefaultExecutionContextSerializer legacy = new DefaultExecutionContextSerializer();

        @Override
        public void serialize(Map<String, Object> context, OutputStream out) throws IOException {
            json.serialize(context, out);
        }

        @Override
        public Map<String, Object> deserialize(InputStream in) throws IOException {
            BufferedInputStream buffered = new BufferedInputStream(in);
            buffered.mark(1);
            int first = buffered.read();
            buffered.reset();
            // JSON starts with '{'; the legacy format is base64 of a Java stream ("rO0...").
            return first == '{' ? json.deserialize(buffered) : legacy.deserialize(buffered);
        }
    }
}
