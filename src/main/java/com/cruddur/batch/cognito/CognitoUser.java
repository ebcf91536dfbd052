package com.cruddur.batch.cognito;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        // One pass over the attributes (a search per field would walk them four times, for every user);
        // the first value of a name wins.
        Map<String, String> values = new HashMap<>();
        user.attributes().forEach(attribute -> values.putIfAbsent(attribute.name(), attribute.value()));
        return new CognitoUser(user.username(), values.get("sub"), values.get("preferred_username"),
                values.get("name"), values.get("email"), user.userStatusAsString(),
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
}
