package com.cruddur.batch.replay;

import com.cruddur.batch.aws.S3Uploads;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The S3 locations of a replay, checked before anything is written (one line, exit 2): the objects and
 * prefixes in {@code file=}, and the bucket of {@code rejects=s3://...}, which would otherwise be found
 * missing only when the rejects are uploaded, after the replay.
 */
class ReplayS3Validator implements JobParametersValidator {

    private final ReplayFiles replayFiles;
    private final S3Uploads s3Uploads;

    ReplayS3Validator(ReplayFiles replayFiles, S3Uploads s3Uploads) {
        this.replayFiles = replayFiles;
        this.s3Uploads = s3Uploads;
    }

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        MessageGroupReplayParameters params = MessageGroupReplayParameters.of(parameters);
        if (params.fromFiles() && params.files() != null && !params.files().isBlank()) {
            fail(replayFiles.problemWith(params.files()));
        }
        if (S3Uploads.isS3(params.rejects())) {
            fail(s3Uploads.problemWith("rejects", params.rejects()));
        }
    }

    private static void fail(String problem) throws InvalidJobParametersException {
        if (problem != null) {
            throw new InvalidJobParametersException(problem);
        }
    }
}
