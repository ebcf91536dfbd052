package com.cruddur.batch.seed;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.springframework.batch.core.listener.ItemReadListener;

/**
 * Step seed-messages reads a whole chunk before it processes it: as each row is read, the group query of
 * a pair not seen before is started in the background ({@link GroupResolver#lookAhead}), so that the first
 * chunk of a file with many pairs does not wait for one query after another. Only a hint: a row whose
 * people are unknown, or which names its group, starts nothing, and the processor checks and reports
 * every row as before.
 */
final class PairGroupLookAhead implements ItemReadListener<CsvLine> {

    private final UserDirectory users;
    private final GroupResolver groups;
    /** The handle pairs already looked at: most rows continue a conversation, and cost one lookup here. */
    private final Set<String> seen = new HashSet<>();

    PairGroupLookAhead(UserDirectory users, GroupResolver groups) {
        this.users = users;
        this.groups = groups;
    }

    @Override
    public void afterRead(CsvLine line) {
        try {
            String senderHandle = line.get("sender_handle");
            String receiverHandle = line.get("receiver_handle");
            if (!line.get("message_group_uuid").isEmpty() || !seen.add(senderHandle + "\n" + receiverHandle)) {
                return;
            }
            Optional<Participant> sender = find(senderHandle);
            Optional<Participant> receiver = find(receiverHandle);
            if (sender.isPresent() && receiver.isPresent() && !sender.get().uuid().equals(receiver.get().uuid())) {
                groups.lookAhead(sender.get(), receiver.get());
            }
        }
        catch (RuntimeException e) {
            // The processor meets the same problem with this row and reports it (or fails the step).
        }
    }

    private Optional<Participant> find(String handle) {
        return handle.isEmpty() ? Optional.empty() : users.find(handle);
    }
}
