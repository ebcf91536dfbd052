package com.cruddur.batch.seed;

import java.util.List;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Checks one users.csv row; a bad one is rejected with the field and why. The reason never quotes the
 * value: it ends up in the run's {@code reason:} line and logs, and the value may be an e-mail (the
 * whole row is in the owner-only rejects file).
 */
public class UserRowProcessor implements ItemProcessor<CsvLine, SeedUser> {

    public static final List<String> REQUIRED = List.of("handle", "display_name", "email");
    public static final List<String> OPTIONAL = List.of("cognito_user_id");

    @Override
    public SeedUser process(CsvLine line) {
        String handle = line.get("handle");
        String displayName = line.get("display_name");
        String email = line.get("email");
        String cognitoUserId = line.get("cognito_user_id");
        if (handle.isEmpty()) {
            throw new RejectedRowException(line, "handle: empty");
        }
        if (!handle.matches("[A-Za-z0-9_.-]+")) {
            throw new RejectedRowException(line, "handle: has characters other than letters, digits, _ . -");
        }
        if (displayName.isEmpty()) {
            throw new RejectedRowException(line, "display_name: empty");
        }
        if (!email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new RejectedRowException(line, "email: not an e-mail address");
        }
        return new SeedUser(handle, displayName, email, cognitoUserId.isEmpty() ? null : cognitoUserId);
    }
}
