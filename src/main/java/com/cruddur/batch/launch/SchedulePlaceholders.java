package com.cruddur.batch.launch;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {scheduled.time}} and {@code {scheduled.date}} in scheduled parameter values, resolved per run from
 * the cron instant: the time in UTC, file-name safe ({@code 2026-12-02T02-30-00Z}: no colons, which S3
 * keys, Windows shares and some tools mishandle), the date in the schedule's zone ({@code 2026-12-02}),
 * which is the day a user reading the cron expression in that zone expects.
 */
final class SchedulePlaceholders {

    static final String TIME = "{scheduled.time}";
    static final String DATE = "{scheduled.date}";
    static final String KNOWN = TIME + ", " + DATE;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^{}]*}");
    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What each placeholder matches in a resolved value (retention finds a schedule's exports by it). */
    static final Map<String, String> PATTERNS = Map.of(
            TIME, "\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z",
            DATE, "\\d{4}-\\d{2}-\\d{2}");

    private SchedulePlaceholders() {
    }

    /** The first placeholder in {@code value} that is not one of {@link #KNOWN}, or null. */
    static String unknownIn(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            if (!PATTERNS.containsKey(m.group())) {
                return m.group();
            }
        }
        return null;
    }

    static boolean hasAny(String value) {
        return value.contains(TIME) || value.contains(DATE);
    }

    static Map<String, String> resolve(Map<String, String> parameters, Instant scheduledTime, ZoneId zone) {
        Instant time = scheduledTime.truncatedTo(ChronoUnit.SECONDS);
        String timeText = TIME_FORMAT.format(time);
        String dateText = time.atZone(zone).toLocalDate().toString();
        Map<String, String> resolved = new LinkedHashMap<>();
        parameters.forEach((k, v) -> resolved.put(k, v.replace(TIME, timeText).replace(DATE, dateText)));
        return resolved;
    }

    /** A regular expression matching every resolution of {@code template}. */
    static Pattern patternOf(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start()))).append(PATTERNS.get(m.group()));
            at = m.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        return Pattern.compile(regex.toString());
    }
}
