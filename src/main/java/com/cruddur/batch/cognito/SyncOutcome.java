package com.cruddur.batch.cognito;

/** What cognito-user-sync did with one Cognito user; stored by name in the working table. */
enum SyncOutcome {
    /** Matched one row, whose cognito_user_id was set to the user's sub. */
    UPDATED,
    /** Matched one row that already had the user's sub: not rewritten. */
    UNCHANGED,
    /** No row had the handle; mode=upsert inserted one. */
    INSERTED,
    /** No row had the handle; mode=update leaves it out. */
    NOT_IN_TABLE,
    /** The user has no preferred_username, so nothing to match on. */
    NO_PREFERRED_USERNAME,
    /** Several rows have the handle: none is changed, a person must choose. */
    DUPLICATE_HANDLE,
    /** Another Cognito user of this run already has the same preferred_username and took the row. */
    HANDLE_CLAIMED
}
