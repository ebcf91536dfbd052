package com.cruddur.batch.support;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * Arranges user pools in the real cognito-local: a fresh pool per test (CreateUserPool; this
 * cognito-local reads pool files only at start, so files written later are not seen) and users
 * made by AdminCreateUser, as an administrator would.
 * <p>
 * cognito-local gives every pool made by CreateUserPool its default {@code UsernameAttributes =
 * [email]} (server/config.js, UserPoolDefaults), like Cruddur's real pool, which signs in by email:
 * AdminCreateUser then wants an email as Username (else HTTP 400 InvalidParameterException
 * "Username should be an email.") and stores the user under its {@code sub}.
 */
public final class CognitoPools {

    private CognitoPools() {
    }

    /** Creates a pool and returns its id. */
    public static String newPool(String name) {
        return AwsClients.cognito().createUserPool(r -> r.poolName(name + "-" + System.nanoTime())).userPool().id();
    }

    /**
     * Creates a user signing in with {@code email}; attributes alternate names and values
     * ({@code "name", "Andrew Brown", ...}). Welcome messages are suppressed, so no delivery medium
     * is needed. The returned user's Username is its sub.
     */
    public static UserType createUser(String poolId, String email, String... attributes) {
        List<AttributeType> list = new ArrayList<>();
        for (int i = 0; i < attributes.length; i += 2) {
            list.add(AttributeType.builder().name(attributes[i]).value(attributes[i + 1]).build());
        }
        return AwsClients.cognito().adminCreateUser(r -> r.userPoolId(poolId).username(email)
                .messageAction(MessageActionType.SUPPRESS).temporaryPassword("Temporary-Passw0rd!")
                .userAttributes(list)).user();
    }

    public static String sub(UserType user) {
        return user.attributes().stream().filter(a -> a.name().equals("sub")).map(AttributeType::value).findFirst()
                .orElseThrow();
    }
}
