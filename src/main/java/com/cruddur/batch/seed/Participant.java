package com.cruddur.batch.seed;

import java.util.UUID;

/** A user as message and group rows describe them. */
public record Participant(UUID uuid, String handle, String displayName) {
}
