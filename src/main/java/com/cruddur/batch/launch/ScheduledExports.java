package com.cruddur.batch.launch;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.cruddur.batch.export.TableExportParameters;
import com.cruddur.batch.export.ExportManifest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The export folders a schedule makes, and its retention ({@code keep: N}). A folder counts as the
 * schedule's own only when the scheduler created it (it then writes {@value #MARKER} into it, naming the
 * schedule) and the export in it completed ({@code manifest.json}); retention deletes nothing else,
 * and of such a folder only the files its manifest lists.
 */
final class ScheduledExports {

    static final String MARKER = ".cruddur-schedule";

    /** Jobs whose result is a folder with a manifest, and the parameter naming that folder. */
    static final Map<String, String> FOLDER_PARAMETER = Map.of(TableExportParameters.JOB, "dir");

    private static final Log logger = LogFactory.getLog(ScheduledExports.class);

    private ScheduledExports() {
    }

    /** s3://, file://...: not a local folder (in S3 a bucket lifecycle rule does the retention). */
    static boolean isUrl(String dir) {
        return dir.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
    }

    /**
     * Before a fresh scheduled run: creates {@code dir} with the marker when it does not exist yet. An
     * existing folder is left as it is and is never the schedule's to delete.
     *
     * @return true when this call created it
     */
    static boolean prepare(Path dir, String schedule, Instant scheduledTime) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Files.createDirectories(dir);
        Properties marker = new Properties();
        marker.setProperty("schedule", schedule);
        marker.setProperty(Scheduler.SCHEDULED_TIME, scheduledTime.toString());
        try (Writer out = Files.newBufferedWriter(dir.resolve(MARKER))) {
            marker.store(out, "made by cruddur-batch schedule; retention (keep:) may delete this folder");
        }
        return true;
    }

    /** Undoes {@link #prepare} when the run was not started after all (nothing but the marker in it). */
    static void unprepare(Path dir) {
        try (Stream<Path> listing = Files.list(dir)) {
            if (listing.allMatch(p -> p.getFileName().toString().equals(MARKER))) {
                Files.deleteIfExists(dir.resolve(MARKER));
                Files.deleteIfExists(dir);
            }
        }
        catch (IOException e) {
            logger.warn("could not remove the unused folder " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Keeps the newest {@code keep} completed exports of {@code schedule} among the siblings of the
     * folder {@code template} resolves to (its last part holds the placeholder); deletes the older ones.
     *
     * @return the folders deleted
     */
    static List<Path> prune(String template, String schedule, int keep) throws IOException {
        Path templatePath = Path.of(template);
        Path parent = templatePath.toAbsolutePath().getParent();
        Pattern name = SchedulePlaceholders.patternOf(templatePath.getFileName().toString());
        record Export(Path dir, Instant scheduledTime) {
        }
        List<Export> exports = new ArrayList<>();
        try (Stream<Path> listing = Files.list(parent)) {
            for (Path dir : listing.toList()) {
                if (!name.matcher(dir.getFileName().toString()).matches()
                        || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        || !Files.isRegularFile(dir.resolve(ExportManifest.FILE_NAME), LinkOption.NOFOLLOW_LINKS)
                        || !Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Properties marker = new Properties();
                try (Reader in = Files.newBufferedReader(dir.resolve(MARKER))) {
                    marker.load(in);
                }
                if (!schedule.equals(marker.getProperty("schedule"))) {
                    continue;
                }
                try {
                    exports.add(new Export(dir, Instant.parse(marker.getProperty(Scheduler.SCHEDULED_TIME))));
                }
                catch (RuntimeException e) {
                    logger.warn("left " + dir + ": its " + MARKER + " has no readable " + Scheduler.SCHEDULED_TIME);
                }
            }
        }
        exports.sort(Comparator.comparing(Export::scheduledTime).reversed());
        List<Path> deleted = new ArrayList<>();
        for (Export old : exports.subList(Math.min(keep, exports.size()), exports.size())) {
            if (deleteExport(old.dir())) {
                deleted.add(old.dir());
            }
        }
        return deleted;
    }

    /** Deletes the folder when it holds nothing but the marker, the manifest and the files the manifest lists. */
    private static boolean deleteExport(Path dir) throws IOException {
        ExportManifest manifest;
        try {
            manifest = ExportManifest.readFrom(dir.resolve(ExportManifest.FILE_NAME));
        }
        catch (IllegalArgumentException e) {
            logger.warn("left " + dir + ": " + ExportManifest.FILE_NAME + " is not a readable manifest");
            return false;
        }
        Set<Path> own = new HashSet<>();
        own.add(dir.resolve(MARKER));
        own.add(dir.resolve(ExportManifest.FILE_NAME));
        manifest.files().forEach(f -> own.add(dir.resolve(f.path()).normalize()));
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.toList();
        }
        long foreign = all.stream().filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !own.contains(p))
                .count();
        if (foreign > 0) {
            logger.warn("left " + dir + ": it holds " + foreign + " file(s) that are not part of the export");
            return false;
        }
        // Deepest first: files, then their folders.
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
        return true;
    }
}
