package com.cruddur.batch.seed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

import com.cruddur.batch.aws.S3Inputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.file.FlatFileItemReader;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;

/**
 * The distinct groups of a conversations CSV, in group-uuid order: those step seed-messages collected in
 * this process ({@link SeededGroups}), or else, after a restart, from streaming the file once, resolving each
 * row's group as the message step did and keeping one entry per group, not per row. Its position is the
 * index into that order, so a restart rebuilds the same list and goes on after the last committed group.
 */
public class SeededGroupsReader implements ItemStreamReader<GroupSeed> {

    private static final Logger log = LoggerFactory.getLogger(SeededGroupsReader.class);

    private static final String INDEX_KEY = "groups.index";

    private final String file;
    private final S3Inputs s3;
    private final ConversationRowProcessor rows;
    private final SeededGroups seen;
    private List<GroupSeed> groups;
    private int index;

    /** @param seen the groups step seed-messages saw in this process, used when complete; may be null */
    public SeededGroupsReader(Path file, ConversationRowProcessor rows, SeededGroups seen) {
        this(file.toString(), null, rows, seen);
    }

    /** @param s3 for an {@code s3://bucket/key} location; null when the location is a path */
    public SeededGroupsReader(String file, S3Inputs s3, ConversationRowProcessor rows, SeededGroups seen) {
        this.file = file;
        this.s3 = s3;
        this.rows = rows;
        this.seen = seen;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        index = executionContext.getInt(INDEX_KEY, 0);
        groups = seen == null ? null : seen.all();
        if (groups == null) {
            groups = readGroups();
            log.debug("{} groups read from {}", groups.size(), file);
        }
        else {
            log.debug("{} groups as step seed-messages saw them", groups.size());
        }
    }

    private List<GroupSeed> readGroups() {
        TreeMap<UUID, GroupSeed> byUuid = new TreeMap<>();
        FlatFileItemReader<CsvLine> lines = s3 == null
                ? SeedCsv.reader("conversations-groups", Path.of(file), ConversationRowProcessor.REQUIRED, List.of())
                : SeedCsv.reader("conversations-groups", file, s3, ConversationRowProcessor.REQUIRED, List.of());
        lines.open(new ExecutionContext());
        try {
            while (true) {
                CsvLine line;
                try {
                    line = lines.read();
                }
                catch (FlatFileParseException malformed) {
                    continue; // reported by the message step
                }
                if (line == null) {
                    break;
                }
                try {
                    GroupSeed group = rows.groupOf(line);
                    byUuid.putIfAbsent(group.messageGroupUuid(), group);
                }
                catch (RejectedRowException rejected) {
                    // reported by the message step
                }
            }
        }
        catch (Exception e) {
            throw new ItemStreamException("cannot read " + file + ": " + e.getMessage(), e);
        }
        finally {
            lines.close();
        }
        return new ArrayList<>(byUuid.values());
    }

    @Override
    public GroupSeed read() {
        return index < groups.size() ? groups.get(index++) : null;
    }

    @Override
    public void update(ExecutionContext executionContext) {
        executionContext.putInt(INDEX_KEY, index);
    }

    @Override
    public void close() {
        groups = null;
    }
}
