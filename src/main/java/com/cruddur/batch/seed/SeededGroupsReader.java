package com.cruddur.batch.seed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.file.FlatFileItemReader;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;

/**
 * The distinct groups of a conversations CSV, in group-uuid order: on open it streams the file once
 * through the same checks as the message step (rows that step rejected are left out here too) and keeps
 * one entry per group, not per row. Its position is the index into that order, so a restart rebuilds the
 * same list and goes on after the last committed group.
 */
public class SeededGroupsReader implements ItemStreamReader<GroupSeed> {

    private static final String INDEX_KEY = "groups.index";

    private final Path file;
    private final ConversationRowProcessor rows;
    private List<GroupSeed> groups;
    private int index;

    public SeededGroupsReader(Path file, ConversationRowProcessor rows) {
        this.file = file;
        this.rows = rows;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        TreeMap<UUID, GroupSeed> byUuid = new TreeMap<>();
        FlatFileItemReader<CsvLine> lines = SeedCsv.reader("conversations-groups", file,
                ConversationRowProcessor.REQUIRED, List.of());
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
                    ConversationRowProcessor.SeedMessage message = rows.parse(line);
                    byUuid.putIfAbsent(message.row().messageGroupUuid(),
                            new GroupSeed(message.row().messageGroupUuid(), message.sender(), message.receiver()));
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
        groups = new ArrayList<>(byUuid.values());
        index = executionContext.getInt(INDEX_KEY, 0);
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
