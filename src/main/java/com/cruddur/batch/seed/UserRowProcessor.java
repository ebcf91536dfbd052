package com.cruddur.batch.seed;

import java.util.List;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Checks one users.csv row; a bad one is rejected with the field and why. */
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
            throw new RejectedRowException(line, "handle: '" + handle + "' has characters other than letters, digits, _ . -");
        }
        if (displayName.isEmpty()) {
            throw new RejectedRowException(line, "display_name: empty");
        }
        if (!email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new RejectedRowException(line, "email: '" + email + "' is not an e-mail address");
        }
        return new SeedUser(handle, displayName, email, cognitoUserId.isEmpty() ? null : cognitoUserId);
    }
}
