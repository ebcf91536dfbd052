package com.cruddur.batch.replay;

import java.util.UUID;

/** What a change record means for a group: its newest message may now be {@code sk}/{@code message}. */
public record GroupUpdate(UUID messageGroupUuid, String sk, String message, String source) {

    /** Newer by sk (string order is time order); on an equal sk the greater text, so any order agrees. */
    public boolean isNewerThan(GroupUpdate other) {
        int bySk = sk.compareTo(other.sk);
        return bySk != 0 ? bySk > 0 : message.compareTo(other.message) > 0;
    }
}
