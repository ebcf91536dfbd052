package com.cruddur.batch.export;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The parameters of {@code conversation-export}: names, defaults, checks and help in {@link #DESCRIPTOR}.
 *
 * @param from     null: from the first message
 * @param to       null: to the last message; exclusive
 * @param output   null: stdout
 * @param pageSize null: DynamoDB's 1 MB pages
 */
public record ConversationExportParameters(String table, UUID group, Instant from, Instant to, boolean json,
        String output, int chunkSize, Integer pageSize) {

    public static final String JOB = "conversation-export";

    static final ParameterSpec GROUP = ParameterSpec.required("group", "message_group_uuid").uuid();
    static final ParameterSpec FROM = ParameterSpec.optional("from", null,
            "first instant, inclusive (default: all time)").instant();
    static final ParameterSpec TO = ParameterSpec.optional("to", null, "last instant, exclusive (default: all time)")
            .instant().notBefore("from");

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "the messages of one group in a time window, oldest first (the app's pattern A), as text or JSON lines",
            List.of(ExportSpecs.TABLE, GROUP, FROM, TO, ExportSpecs.FORMAT, ExportSpecs.OUTPUT, ExportSpecs.CHUNK_SIZE,
                    ExportSpecs.PAGE_SIZE),
            "java -jar target/cruddur-batch.jar conversation-export group=71ab8c22-d40b-366c-82e3-f6217b78a416");

    public static ConversationExportParameters of(JobParameters params) {
        return new ConversationExportParameters(ExportSpecs.TABLE.valueIn(params),
                UUID.fromString(GROUP.valueIn(params)), FROM.instantIn(params), TO.instantIn(params),
                "json".equalsIgnoreCase(ExportSpecs.FORMAT.valueIn(params)), ExportSpecs.OUTPUT.valueIn(params),
                ExportSpecs.CHUNK_SIZE.intIn(params), ExportSpecs.PAGE_SIZE.optionalIntIn(params));
    }
}
