package com.cruddur.batch.seed;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * {@code created_at} values: an ISO-8601 instant with an offset ({@code 2026-03-23T22:42:12Z},
 * {@code 2026-03-23T22:42:12.160498+00:00}), or a time relative to the run's base time:
 * a sign and days/hours/minutes/seconds/milliseconds, e.g. {@code +90m}, {@code -2h}, {@code +1d3h15m},
 * {@code +10m30s250ms}.
 */
public final class SeedTime {

    /** Key of the run's base time in the job's ExecutionContext (an ISO instant string). */
    public static final String BASE_TIME_KEY = "seed.base-time";

    private static final Pattern RELATIVE = Pattern
            .compile("([+-])(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

    /**
     * The first and last instants a key may hold. A key is a four-digit year first, so that string order is
     * time order ({@code +10000-...} or {@code -0001-...} would sort wrongly), and the app's Python
     * {@code datetime} has no year 0.
     */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Why an instant is out of range, for a reject reason. */
    public static final String RANGE = "outside the years 0001..9999 that a key can hold";

    private SeedTime() {
    }

    /**
     * The instant, or null when the text is neither form.
     *
     * @throws OutOfRangeException when it is one of the forms but names no instant in years 0001..9999
     */
    public static Instant parse(String text, Instant base) {
        Matcher relative = RELATIVE.matcher(text);
        Instant instant;
        if (relative.matches() && text.length() > 1) {
            try {
                Duration offset = Duration.ofDays(number(relative, 2)).plusHours(number(relative, 3))
                        .plusMinutes(number(relative, 4)).plusSeconds(number(relative, 5))
                        .plusMillis(number(relative, 6));
                instant = relative.group(1).equals("-") ? base.minus(offset) : base.plus(offset);
            }
            // Too many digits for a long, a Duration, or an Instant.
            catch (NumberFormatException | ArithmeticException | DateTimeException e) {
                throw new OutOfRangeException();
            }
        }
        else {
            try {
                instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            catch (DateTimeParseException e) {
                return null;
            }
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new OutOfRangeException();
        }
        return instant;
    }

    /** A {@code created_at} in one of the forms that gives no instant a key can hold. */
    public static class OutOfRangeException extends IllegalArgumentException {
        public OutOfRangeException() {
            super(RANGE);
        }
    }

    /**
     * Midnight UTC one day before {@code now}: recent enough for CI, and the same all day, so that runs of
     * the same file on one day write the same items (a new day's run writes the relative rows again, a day
     * later; pin {@code base-time} to keep a long-lived table identical).
     */
    public static Instant defaultBaseTime(Instant now) {
        return now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
    }

    private static long number(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }

    /**
     * The run's base time: the {@code base-time} parameter when given; else the one this job instance
     * fixed on its first start (kept in the job's ExecutionContext, which a restart inherits); else
     * {@link #defaultBaseTime}, stored and saved at once, before any item is written, so that a kill at
     * any point leaves it for the restart.
     */
    public static Instant baseTime(JobExecution jobExecution, JobRepository jobRepository, Instant now) {
        String given = SeedSpecs.BASE.valueIn(jobExecution.getJobParameters());
        if (given != null) {
            return Instant.parse(given);
        }
        ExecutionContext context = jobExecution.getExecutionContext();
        String kept = context.getString(BASE_TIME_KEY, null);
        if (kept != null) {
            return Instant.parse(kept);
        }
        Instant base = defaultBaseTime(now);
        context.putString(BASE_TIME_KEY, base.toString());
        jobRepository.updateExecutionContext(jobExecution);
        return base;
    }
}
