package com.cruddur.batch.export;

import java.util.List;
import java.util.UUID;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The parameters of {@code message-group-export}: names, defaults, checks and help in {@link #DESCRIPTOR}.
 *
 * @param handle   the user's handle, or null when {@code user} is given
 * @param user     the user's uuid, or null when {@code handle} is given
 * @param output   null: stdout
 * @param pageSize null: DynamoDB's 1 MB pages
 */
public record MessageGroupExportParameters(String table, String handle, UUID user, boolean json, String output,
        int chunkSize, Integer pageSize) {

    public static final String JOB = "message-group-export";

    static final ParameterSpec HANDLE = ParameterSpec.optional("handle", null,
            "the user's handle (looked up in users); or user=");
    static final ParameterSpec USER = ParameterSpec.optional("user", null, "the user's uuid; or handle=").uuid();

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "the message groups of one user, newest first, with the other participant and the last message (pattern B)",
            List.of(ExportSpecs.TABLE, HANDLE, USER, ExportSpecs.FORMAT, ExportSpecs.OUTPUT, ExportSpecs.CHUNK_SIZE,
                    ExportSpecs.PAGE_SIZE),
            "java -jar target/cruddur-batch.jar message-group-export handle=lena");

    public static MessageGroupExportParameters of(JobParameters params) {
        String user = USER.valueIn(params);
        return new MessageGroupExportParameters(ExportSpecs.TABLE.valueIn(params), HANDLE.valueIn(params),
                user == null ? null : UUID.fromString(user),
                "json".equalsIgnoreCase(ExportSpecs.FORMAT.valueIn(params)), ExportSpecs.OUTPUT.valueIn(params),
                ExportSpecs.CHUNK_SIZE.intIn(params), ExportSpecs.PAGE_SIZE.optionalIntIn(params));
    }
}
