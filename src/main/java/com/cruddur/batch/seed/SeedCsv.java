package com.cruddur.batch.seed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.text.SimpleDateFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.input.StrictUtf8LineReader;
import org.springframework.batch.infrastructure.item.file.FlatFileItemReader;
import org.springframework.batch.infrastructure.item.file.builder.FlatFileItemReaderBuilder;
import org.springframework.batch.infrastructure.item.file.separator.SimpleRecordSeparatorPolicy;
import org.springframework.batch.infrastructure.item.file.transform.DefaultFieldSetFactory;
import org.springframework.batch.infrastructure.item.file.transform.DelimitedLineTokenizer;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * The seed CSV format: UTF-8, a header line naming the columns, then one record per line; fields
 * may be quoted ("a, ""b""") but may not span lines. Columns are found by name, so their order is free;
 * required columns must be there, optional ones may be left out, unknown ones are an error.
 */
public final class SeedCsv {

    private SeedCsv() {
    }

    /**
     * Checks the file and its header before the job starts.
     *
     * @return null when usable, else one line saying what is wrong
     */
    public static String problemWith(String what, Path file, List<String> required, List<String> optional) {
        if (Files.isDirectory(file)) {
            return what + " file " + file + " is a directory; give the CSV file itself";
        }
        if (!Files.isRegularFile(file)) {
            return what + " file " + file + (Files.exists(file) ? " is not a regular file" : " does not exist");
        }
        if (!Files.isReadable(file)) {
            return what + " file " + file + " is not readable";
        }
        return headerProblem(what + " file " + file, new FileSystemResource(file), required, optional);
    }

    /** As {@link #problemWith(String, Path, List, List)}, for a path or an {@code s3://bucket/key} location. */
    public static String problemWith(String what, String location, S3Inputs s3, List<String> required,
            List<String> optional) {
        if (!S3Inputs.isS3(location)) {
            return problemWith(what, Path.of(location), required, optional);
        }
        String problem = s3.problemWith(what, location);
        return problem != null ? problem : headerProblem(what + " " + location, s3.resource(location), required, optional);
    }

    private static String headerProblem(String what, Resource input, List<String> required, List<String> optional) {
        // Only the header line: a bad byte further down is one rejected row, found by the step.
        try (StrictUtf8LineReader in = new StrictUtf8LineReader(input.getInputStream())) {
            String header = in.readLine();
            if (header != null && in.malformedAt() >= 0) {
                return what + " line 1: " + StrictUtf8LineReader.notUtf8(in.malformedAt());
            }
            if (header == null || header.isBlank()) {
                return what + " line 1: missing header; expected " + String.join(",", required);
            }
            try {
                columns(header, required, optional);
                return null;
            }
            catch (IllegalArgumentException e) {
                return what + " line 1: " + e.getMessage();
            }
        }
        catch (IOException e) {
            return what + ": " + e.getMessage();
        }
    }

    /** A restartable reader of the data lines (the reader keeps its line count in the step's ExecutionContext). */
    public static FlatFileItemReader<CsvLine> reader(String name, Path file, List<String> required,
            List<String> optional) {
        return reader(name, new FileSystemResource(file), file.toString(), required, optional);
    }

    /** As above, for a path or an {@code s3://bucket/key} location (whose object is streamed, never stored). */
    public static FlatFileItemReader<CsvLine> reader(String name, String location, S3Inputs s3, List<String> required,
            List<String> optional) {
        return reader(name, s3.resource(location), location, required, optional);
    }

    private static FlatFileItemReader<CsvLine> reader(String name, Resource input, String file, List<String> required,
            List<String> optional) {
        DelimitedLineTokenizer tokenizer = new DelimitedLineTokenizer();
        tokenizer.setStrict(true);
        // Without formats given, every line's FieldSet builds its own date and number format (a large share
        // of the reading time); ours read text only. The formats are DefaultFieldSet's defaults, made once.
        SimpleDateFormat dates = new SimpleDateFormat("yyyy-MM-dd");
        dates.setLenient(false);
        tokenizer.setFieldSetFactory(new DefaultFieldSetFactory(dates, NumberFormat.getInstance(Locale.US)));
        // Each line decoded strictly on its own, so that a byte that is not UTF-8 rejects its row (below).
        StrictUtf8LineReader[] lines = new StrictUtf8LineReader[1];
        return new FlatFileItemReaderBuilder<CsvLine>()
                .name(name)
                .resource(input)
                .bufferedReaderFactory((resource, encoding) -> lines[0] = new StrictUtf8LineReader(
                        resource.getInputStream()))
                .strict(true)
                // A stray quote must cost one line, not swallow the rest of the file into one record.
                .recordSeparatorPolicy(new SimpleRecordSeparatorPolicy())
                .linesToSkip(1)
                .skippedLinesCallback(header -> tokenizer.setNames(columns(header, required, optional)))
                .lineMapper((text, number) -> {
                    if (lines[0].malformedAt() >= 0) {
                        throw new IllegalArgumentException(StrictUtf8LineReader.notUtf8(lines[0].malformedAt()));
                    }
                    if (text.chars().filter(c -> c == '"').count() % 2 != 0) {
                        throw new IllegalArgumentException("unbalanced quotes");
                    }
                    return new CsvLine(file, number, text, tokenizer.tokenize(text));
                })
                .build();
    }

    static String[] columns(String header, List<String> required, List<String> optional) {
        String[] names = Arrays.stream(header.replace("\uFEFF", "").split(",", -1)).map(String::trim)
                .toArray(String[]::new);
        List<String> given = Arrays.asList(names);
        for (String name : names) {
            if (!required.contains(name) && !optional.contains(name)) {
                throw new IllegalArgumentException("unknown column '" + name + "' in header; expected "
                        + String.join(",", required) + (optional.isEmpty() ? "" : " and optionally "
                                + String.join(",", optional)));
            }
        }
        for (String name : required) {
            if (!given.contains(name)) {
                throw new IllegalArgumentException("header lacks column '" + name + "'; expected "
                        + String.join(",", required));
            }
        }
        if (given.stream().distinct().count() != given.size()) {
            throw new IllegalArgumentException("a column is named twice in the header");
        }
        return names;
    }
}
