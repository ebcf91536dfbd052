package com.cruddur.batch.cognito;

import java.io.IOException;

import com.cruddur.batch.item.DelegatingItemStreamWriter;

/**
 * Where cognito-user-export writes: an owner-only local file, or an S3 object written whole at the end
 * ({@link S3LinesWriter}). One concrete type for the step-scoped bean, whichever it is.
 */
class CognitoUserOutput extends DelegatingItemStreamWriter<CognitoUser> {

    private final S3LinesWriter<CognitoUser> s3;

    CognitoUserOutput(OwnerOnlyFileItemWriter<CognitoUser> file) {
        super(file);
        this.s3 = null;
    }

    CognitoUserOutput(S3LinesWriter<CognitoUser> s3) {
        super(s3);
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
}
