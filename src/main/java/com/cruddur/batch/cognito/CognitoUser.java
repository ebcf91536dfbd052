package com.cruddur.batch.cognito;

import java.time.Instant;
import java.util.List;

import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * The fields of a Cognito user that the export and the sync use. Attributes a user does not have are
 * null; {@code preferredUsername} is the key to the {@code users.handle} column.
 */
public record CognitoUser(String username, String sub, String preferredUsername, String name, String email,
        String status, boolean enabled, Instant created, Instant modified) {

    /** Column names of the export, in order. */
    public static final List<String> FIELDS = List.of("username", "sub", "preferred_username", "name", "email",
            "status", "enabled", "created", "modified");

    public static CognitoUser from(UserType user) {
        return new CognitoUser(user.username(), attribute(user, "sub"), attribute(user, "preferred_username"),
                attribute(user, "name"), attribute(user, "email"), user.userStatusAsString(),
                Boolean.TRUE.equals(user.enabled()), user.userCreateDate(), user.userLastModifiedDate());
    }

    /** Values in the order of {@link #FIELDS}; null where absent. */
    public List<String> values() {
        return java.util.Arrays.asList(username, sub, preferredUsername, name, email, status,
                String.valueOf(enabled), created == null ? null : created.toString(),
                modified == null ? null : modified.toString());
    }

    public boolean hasPreferredUsername() {
        return preferredUsername != null && !preferredUsername.isBlank();
    }

    private static String attribute(UserType user, String name) {
        return user.attributes().stream().filter(a -> a.name().equals(name)).map(AttributeType::value).findFirst()
                .orElse(null);
    }
}
