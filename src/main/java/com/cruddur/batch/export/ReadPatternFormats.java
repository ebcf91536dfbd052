package com.cruddur.batch.export;

import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * How conversation-export and message-group-export print rows: a readable text table, or JSON lines with
 * the app's attribute names, to stdout or to a file.
 */
final class ReadPatternFormats {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    static final String CONVERSATION_HEADER = String.format(Locale.ROOT, "%-19s  %-20s  %s", "time (UTC)", "sender",
            "message");
    static final String GROUPS_HEADER = String.format(Locale.ROOT, "%-19s  %-36s  %-36s  %s", "last message (UTC)",
            "with", "message group", "last message");

    private ReadPatternFormats() {
    }

    static String conversationLine(MessageRow row) {
        return String.format(Locale.ROOT, "%-19s  %-20s  %s", readable(row.sk()), "@" + row.userHandle(),
                oneLine(row.message()));
    }

    static String groupLine(GroupRow row) {
        return String.format(Locale.ROOT, "%-19s  %-36s  %-36s  %s", readable(row.sk()),
                "@" + row.otherHandle() + " (" + row.otherDisplayName() + ")", row.messageGroupUuid(),
                oneLine(row.message()));
    }

    static String messageJson(MessageRow row) {
        return json(new String[][] {{"message_group_uuid", row.messageGroupUuid().toString()},
                {"created_at", row.sk()}, {"message_uuid", row.messageUuid().toString()},
                {"user_uuid", String.valueOf(row.userUuid())}, {"user_display_name", row.userDisplayName()},
                {"user_handle", row.userHandle()}, {"message", row.message()}});
    }

    static String groupJson(GroupRow row) {
        return json(new String[][] {{"message_group_uuid", row.messageGroupUuid().toString()},
                {"owner_user_uuid", row.ownerUserUuid().toString()}, {"last_message_at", row.sk()},
                {"message", row.message()}, {"user_uuid", String.valueOf(row.otherUserUuid())},
                {"user_display_name", row.otherDisplayName()}, {"user_handle", row.otherHandle()}});
    }

    private static String json(String[][] fields) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (String[] field : fields) {
                json.writeStringProperty(field[0], field[1]);
            }
            json.writeEndObject();
        }
        return out.toString();
    }

    private static String readable(String sk) {
        try {
            return READABLE.format(MessageKeys.parseTime(sk));
        }
        catch (RuntimeException e) {
            return sk;
        }
    }

    /** A table row stays one row: line breaks in a message are shown as the ⏎ sign. */
    private static String oneLine(String message) {
        return message == null ? "" : message.replace("\r\n", "⏎").replace('\n', '⏎').replace('\r', '⏎');
    }
}
