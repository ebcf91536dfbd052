package com.cruddur.batch.seed;

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

    private SeedTime() {
    }

    /** The instant, or null when the text is neither form. */
    public static Instant parse(String text, Instant base) {
        Matcher relative = RELATIVE.matcher(text);
        if (relative.matches() && text.length() > 1) {
            Duration offset = Duration.ofDays(number(relative, 2)).plusHours(number(relative, 3))
                    .plusMinutes(number(relative, 4)).plusSeconds(number(relative, 5))
                    .plusMillis(number(relative, 6));
            return relative.group(1).equals("-") ? base.minus(offset) : base.plus(offset);
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long number(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }

    /**
     * The run's base time: the {@code base-time} parameter when given; else the one this job instance
     * fixed on its first start (kept in the job's ExecutionContext, which a restart inherits); else one day
     * before now, stored and saved at once, before any item is written, so that a kill at any point
     * leaves it for the restart.
     */
    public static Instant baseTime(JobExecution jobExecution, JobRepository jobRepository) {
        String given = jobExecution.getJobParameters().getString(SeedJobs.BASE_TIME);
        if (given != null) {
            return Instant.parse(given);
        }
        ExecutionContext context = jobExecution.getExecutionContext();
        String kept = context.getString(BASE_TIME_KEY, null);
        if (kept != null) {
            return Instant.parse(kept);
        }
        Instant base = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        context.putString(BASE_TIME_KEY, base.toString());
        jobRepository.updateExecutionContext(jobExecution);
        return base;
    }
}
