package com.cruddur.batch.seed;

import java.util.Arrays;

import org.springframework.batch.infrastructure.item.file.transform.FieldSet;

/**
 * One data line of a seed CSV, with where it came from, so that a rejected row can be reported by
 * file and line.
 */
public record CsvLine(String file, int number, String text, FieldSet fields) {

    /** The named column, trimmed; empty when blank. */
    public String get(String column) {
        if (!Arrays.asList(fields.getNames()).contains(column)) {
            return "";
        }
        String value = fields.readRawString(column);
        return value == null ? "" : value.trim();
    }
}
