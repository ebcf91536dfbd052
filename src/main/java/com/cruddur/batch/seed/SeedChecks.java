package com.cruddur.batch.seed;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.cruddur.batch.aws.S3Inputs;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.file.FlatFileItemReader;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;
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
                check(groupOfTwoPairs(file, SeedCsv.reader("conversations-pairs", file, s3,
                        ConversationRowProcessor.REQUIRED, List.of())));
            }
        };
    }

    /**
     * A group has exactly two people: a message_group_uuid given for two different pairs of handles would
     * put one pair's messages into the other's conversation. Found before anything is written.
     *
     * @return null when every given group belongs to one pair, else one line naming the group and both lines
     */
    private static String groupOfTwoPairs(String file, FlatFileItemReader<CsvLine> lines) {
        Map<String, String> pairByGroup = new HashMap<>();
        Map<String, Integer> lineByGroup = new HashMap<>();
        lines.open(new ExecutionContext());
        try {
            while (true) {
                CsvLine line;
                try {
                    line = lines.read();
                }
                catch (FlatFileParseException malformed) {
                    continue; // rejected with its line by step seed-messages
                }
                if (line == null) {
                    return null;
                }
                String group = line.get("message_group_uuid").toLowerCase(Locale.ROOT);
                String sender = line.get("sender_handle");
                String receiver = line.get("receiver_handle");
                if (group.isEmpty()) {
                    continue;
                }
                String pair = sender.compareTo(receiver) <= 0 ? sender + "\n" + receiver : receiver + "\n" + sender;
                String first = pairByGroup.putIfAbsent(group, pair);
                if (first == null) {
                    lineByGroup.put(group, line.number());
                }
                else if (!first.equals(pair)) {
                    return "conversations file " + file + " line " + line.number() + ": message_group_uuid " + group
                            + " is already the group of another pair of users (line " + lineByGroup.get(group)
                            + "); a group has exactly two people";
                }
            }
        }
        catch (Exception e) {
            return "conversations file " + file + ": " + e.getMessage();
        }
        finally {
            lines.close();
        }
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
