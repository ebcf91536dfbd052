package com.cruddur.batch.seed;

/**
 * A user row to seed.
 *
 * @param cognitoUserId the Cognito sub, or null: then a new row gets {@code MOCK} and an existing row
 *                      keeps the id the Cognito sync gave it
 */
public record SeedUser(String handle, String displayName, String email, String cognitoUserId) {
}
