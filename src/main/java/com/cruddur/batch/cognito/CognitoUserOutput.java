package com.cruddur.batch.cognito;

import java.io.IOException;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Where cognito-user-export writes: an owner-only local file, or an S3 object written whole at the end
 * ({@link S3LinesWriter}). One concrete type for the step-scoped bean, whichever it is.
 */
class CognitoUserOutput implements ItemStreamWriter<CognitoUser> {

    private final ItemStreamWriter<CognitoUser> delegate;
    private final S3LinesWriter<CognitoUser> s3;

    CognitoUserOutput(OwnerOnlyFileItemWriter<CognitoUser> file) {
        this.delegate = file;
        this.s3 = null;
    }

    CognitoUserOutput(S3LinesWriter<CognitoUser> s3) {
        this.delegate = s3;
        this.s3 = s3;
    }

    boolean isS3() {
        return s3 != null;
    }

    /** For an S3 object: makes it appear (see {@link S3LinesWriter#complete()}); nothing to do for a file. */
    void complete() throws IOException {
        if (s3 != null) {
            s3.complete();
        }
    }

    @Override
    public void open(ExecutionContext context) {
        delegate.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        delegate.update(context);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void write(Chunk<? extends CognitoUser> chunk) throws Exception {
        delegate.write(chunk);
    }
}
