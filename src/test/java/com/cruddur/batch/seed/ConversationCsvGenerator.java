package com.cruddur.batch.seed;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes large seed files for tests and the benchmark: {@code users.csv} with two users per group and
 * {@code conversations.csv} with {@code messages} rows spread round-robin over {@code groups} pairs, each
 * row's group left empty (so the pair's group is resolved, as for hand-written seeds) and its time
 * relative ({@code +<n>s}, one second apart within a group). Deterministic: same arguments, same bytes.
 *
 * <pre>
 * java -cp target/test-classes:target/classes com.cruddur.batch.seed.ConversationCsvGenerator DIR [messages] [groups]
 * </pre>
 */
public final class ConversationCsvGenerator {

    private static final String[] WORDS = ("ridge train coffee map hut forecast boots porridge cards tent "
            + "timetable headlamp parser import screen lunch book harbour plane friday saddle stove filter "
            + "bunks chocolate station platform shortcut weekend north").split(" ");

    private ConversationCsvGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/generated-seed");
        long messages = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        int groups = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        write(dir, messages, groups);
        System.out.println("wrote " + dir.resolve("users.csv") + " (" + 2 * groups + " users) and "
                + dir.resolve("conversations.csv") + " (" + messages + " messages in " + groups + " groups)");
    }

    public static void write(Path dir, long messages, int groups) throws IOException {
        Files.createDirectories(dir);
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("users.csv"), StandardCharsets.UTF_8)) {
            out.write("handle,display_name,email\n");
            for (int u = 0; u < 2 * groups; u++) {
                out.write(handle(u) + ",Load User " + u + "," + handle(u) + "@example.test\n");
            }
        }
        Random random = new Random(42);
        StringBuilder text = new StringBuilder();
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("conversations.csv"), StandardCharsets.UTF_8)) {
            out.write("message_group_uuid,sender_handle,receiver_handle,created_at,message\n");
            for (long i = 0; i < messages; i++) {
                int group = (int) (i % groups);
                long turn = i / groups;
                int sender = 2 * group + (int) (turn % 2);
                int receiver = 2 * group + 1 - (int) (turn % 2);
                text.setLength(0);
                int words = 4 + random.nextInt(16);
                for (int w = 0; w < words; w++) {
                    text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                out.write(",");
                out.write(handle(sender));
                out.write(",");
                out.write(handle(receiver));
                out.write(",+" + turn + "s,");
                out.write(text.toString());
                out.write("\n");
            }
        }
    }

    static String handle(int user) {
        return String.format("load%05d", user);
    }
}
