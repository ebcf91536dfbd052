package com.cruddur.batch.seed;

import java.util.UUID;

/** A group the seed wrote messages to, and its two people (as the group's first row named them). */
public record GroupSeed(UUID messageGroupUuid, Participant first, Participant second) {
}
