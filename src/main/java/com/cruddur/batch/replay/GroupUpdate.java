package com.cruddur.batch.replay;

import java.util.UUID;

/**
 * What a change record means for a group: its newest message may now be {@code sk}/{@code message}.
 *
 * @param sender the message's {@code user_uuid} when it has one: a participant, so an owner of one of the group's
 *               rows, whose row names the other (null when unknown)
 */
public record GroupUpdate(UUID messageGroupUuid, String sk, String message, String source, UUID sender) {

    public GroupUpdate(UUID messageGroupUuid, String sk, String message, String source) {
        this(messageGroupUuid, sk, message, source, null);
    }

    /** Newer by sk (string order is time order); on an equal sk the greater text, so any order agrees. */
    public boolean isNewerThan(GroupUpdate other) {
        int bySk = sk.compareTo(other.sk);
        return bySk != 0 ? bySk > 0 : message.compareTo(other.message) > 0;
    }
}
