package com.cruddur.batch.cognito;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

/**
 * Export line formats. Spring Batch's DelimitedLineAggregator either never quotes or quotes every
 * field without escaping embedded quotes, so CSV quoting (RFC 4180) is done here; JSON lines are
 * flat objects of strings and one boolean, which needs no JSON library.
 */
final class CognitoUserLines {

    private CognitoUserLines() {
    }

    static String csvHeader() {
        return String.join(",", CognitoUser.FIELDS);
    }

    static LineAggregator<CognitoUser> csv() {
        return user -> user.values().stream().map(CognitoUserLines::csvField).collect(Collectors.joining(","));
    }

    static LineAggregator<CognitoUser> jsonLines() {
        return user -> {
            List<String> values = user.values();
            StringBuilder line = new StringBuilder("{");
            for (int i = 0; i < values.size(); i++) {
                String field = CognitoUser.FIELDS.get(i);
                line.append(i == 0 ? "" : ",").append(jsonString(field)).append(':');
                String value = values.get(i);
                line.append(value == null ? "null" : field.equals("enabled") ? value : jsonString(value));
            }
            return line.append('}').toString();
        };
    }

    static String csvField(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    static String jsonString(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
