package com.cruddur.batch.replay;

/**
 * The name that {@link MessageGroupReplayJobConfiguration} still refers to; it goes once that configuration
 * reads {@link MessageGroupReplayParameters} too.
 */
public final class ReplayJobs {

    public static final String MESSAGE_GROUP_REPLAY = MessageGroupReplayParameters.JOB;

    private ReplayJobs() {
    }
}
