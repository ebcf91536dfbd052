package com.cruddur.batch.seed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.input.StrictUtf8LineReader;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.infrastructure.item.file.transform.DelimitedLineTokenizer;
import org.springframework.batch.infrastructure.item.file.transform.FieldSet;
import org.springframework.core.io.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The seeding jobs' checks before anything is written: input files, and the table a seed writes into. */
final class SeedChecks {

    private SeedChecks() {
    }

    static String nonNegative(String value) {
        try {
            return Long.parseLong(value) >= 0 ? null : "expected a whole number, 0 or more";
        }
        catch (NumberFormatException e) {
            return "expected a whole number, 0 or more";
        }
    }

    /** Refuses to start when an input file is missing or its header is wrong: one line, exit 2. */
    static JobParametersValidator filesValidator(boolean users, boolean conversations, S3Inputs s3) {
        return parameters -> {
            if (users) {
                check(SeedCsv.problemWith("users", SeedSpecs.USERS_FILE.valueIn(parameters), s3, UserRowProcessor.REQUIRED,
                        UserRowProcessor.OPTIONAL));
            }
            if (conversations) {
                String file = SeedSpecs.CONVERSATIONS_FILE.valueIn(parameters);
                check(SeedCsv.problemWith("conversations", file, s3, ConversationRowProcessor.REQUIRED, List.of()));
                check(groupOfTwoPairs(file, s3));
            }
        };
    }

    /**
     * A group has exactly two people: a message_group_uuid given for two different pairs of handles would
     * put one pair's messages into the other's conversation. Found before anything is written.
     * <p>
     * Spring Batch validates a job's parameters more than once per launch, and this reads the whole file:
     * the answer for a local file is kept while its size and modification time stay the same.
     *
     * @return null when every given group belongs to one pair, else one line naming the group and both lines
     */
    private static String groupOfTwoPairs(String file, S3Inputs s3) {
        Object version = null;
        if (!S3Inputs.isS3(file)) {
            try {
                Path path = Path.of(file);
                version = List.of(path.toAbsolutePath().toString(), Files.size(path), Files.getLastModifiedTime(path));
            }
            catch (IOException | RuntimeException e) {
                version = null;
            }
        }
        synchronized (CHECKED_PAIRS) {
            if (version != null && CHECKED_PAIRS.containsKey(version)) {
                return CHECKED_PAIRS.get(version).orElse(null);
            }
        }
        String problem = groupOfTwoPairs(file, s3.resource(file));
        if (version != null) {
            synchronized (CHECKED_PAIRS) {
                CHECKED_PAIRS.clear();
                CHECKED_PAIRS.put(version, Optional.ofNullable(problem));
            }
        }
        return problem;
    }

    /** The last local file checked for groups of two pairs, and the answer. */
    private static final Map<Object, Optional<String>> CHECKED_PAIRS = new HashMap<>();

    /**
     * The check itself. It looks only at rows that give a group, which it reads the way the message step's
     * reader does (malformed lines, comments and lines that are not UTF-8 are left to that step): a line
     * without quotes is split at its commas, and only a line with quotes goes through the tokenizer. Rows
     * that leave the group empty, usually all of them, cost no more than finding their first fields.
     */
    private static String groupOfTwoPairs(String file, Resource input) {
        Map<String, String> pairByGroup = new HashMap<>();
        Map<String, Integer> lineByGroup = new HashMap<>();
        try (StrictUtf8LineReader lines = new StrictUtf8LineReader(input.getInputStream())) {
            String header = lines.readLine();
            if (header == null) {
                return null;
            }
            String[] names = SeedCsv.columns(header, ConversationRowProcessor.REQUIRED, List.of());
            List<String> columns = List.of(names);
            int groupColumn = columns.indexOf("message_group_uuid");
            int senderColumn = columns.indexOf("sender_handle");
            int receiverColumn = columns.indexOf("receiver_handle");
            DelimitedLineTokenizer tokenizer = new DelimitedLineTokenizer();
            tokenizer.setStrict(true);
            tokenizer.setNames(names);
            int[] commas = new int[names.length + 1];
            int number = 1;
            for (String text; (text = lines.readLine()) != null;) {
                number++;
                if (lines.malformedAt() >= 0 || text.startsWith("#")) {
                    continue; // the message step rejects (or, for a comment, skips) it
                }
                String group;
                String sender;
                String receiver;
                if (text.indexOf('"') < 0) {
                    int found = 0;
                    for (int i = text.indexOf(','); i >= 0 && found <= names.length; i = text.indexOf(',', i + 1)) {
                        commas[found++] = i;
                    }
                    if (found != names.length - 1) {
                        continue; // wrong number of columns: rejected by the message step
                    }
                    group = field(text, commas, names.length, groupColumn);
                    if (group.isEmpty()) {
                        continue;
                    }
                    sender = field(text, commas, names.length, senderColumn);
                    receiver = field(text, commas, names.length, receiverColumn);
                }
                else {
                    FieldSet fields;
                    try {
                        if (text.chars().filter(c -> c == '"').count() % 2 != 0) {
                            continue;
                        }
                        fields = tokenizer.tokenize(text);
                    }
                    catch (RuntimeException malformed) {
                        continue;
                    }
                    CsvLine line = new CsvLine(file, number, text, fields);
                    group = line.get("message_group_uuid");
                    if (group.isEmpty()) {
                        continue;
                    }
                    sender = line.get("sender_handle");
                    receiver = line.get("receiver_handle");
                }
                group = group.toLowerCase(Locale.ROOT);
                String pair = sender.compareTo(receiver) <= 0 ? sender + "\n" + receiver : receiver + "\n" + sender;
                String first = pairByGroup.putIfAbsent(group, pair);
                if (first == null) {
                    lineByGroup.put(group, number);
                }
                else if (!first.equals(pair)) {
                    return "conversations file " + file + " line " + number + ": message_group_uuid " + group
                            + " is already the group of another pair of users (line " + lineByGroup.get(group)
                            + "); a group has exactly two people";
                }
            }
            return null;
        }
        catch (Exception e) {
            return "conversations file " + file + ": " + e.getMessage();
        }
    }

    /**
     * Field {@code index} of a line without quotes whose {@code count - 1} commas are at {@code commas}, trimmed
     * as {@link CsvLine#get} does.
     */
    private static String field(String text, int[] commas, int count, int index) {
        int from = index == 0 ? 0 : commas[index - 1] + 1;
        int to = index == count - 1 ? text.length() : commas[index];
        return text.substring(from, to).trim();
    }

    /**
     * conversation-seed writes into an existing table, and the app reads group rows through the index:
     * both are checked before anything is written (ci-data-setup creates them itself).
     */
    static JobParametersValidator tableValidator(DynamoDbClient dynamoDb) {
        return parameters -> {
            String table = SeedSpecs.TABLE_NAME.valueIn(parameters);
            String index = SeedSpecs.INDEX_NAME.valueIn(parameters);
            TableDescription description;
            try {
                description = dynamoDb.describeTable(d -> d.tableName(table)).table();
            }
            catch (ResourceNotFoundException e) {
                throw new InvalidJobParametersException("table " + table + " does not exist; create it with schema-load");
            }
            List<String> indexes = description.globalSecondaryIndexes().stream()
                    .map(GlobalSecondaryIndexDescription::indexName).toList();
            if (!indexes.contains(index)) {
                throw new InvalidJobParametersException("table " + table + " has no index " + index + " (it has "
                        + (indexes.isEmpty() ? "none" : String.join(", ", indexes)) + ")");
            }
        };
    }

    private static void check(String problem) throws InvalidJobParametersException {
        if (problem != null) {
            throw new InvalidJobParametersException(problem);
        }
    }
}
