package com.cruddur.batch.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.aws.S3Prefixes;
import com.cruddur.batch.input.InputFingerprint;
import org.springframework.core.io.FileSystemResource;

/**
 * What {@code file=} names, comma-separated: local files, local folders (their regular files in name order),
 * S3 objects ({@code s3://bucket/key}) and S3 prefixes ({@code s3://bucket/prefix/}: every object under it,
 * in key order). The S3 client is built only when an s3:// part is given.
 */
final class ReplayFiles {

    private final S3Inputs s3;

    ReplayFiles(S3Inputs s3) {
        this.s3 = s3;
    }

    static List<String> parts(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("source=file needs file=<path>[,<path>...]");
        }
        return Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The inputs in reading order; a local part that cannot be read, or an empty prefix, is an error. */
    List<ReplayFile> resolve(String spec) {
        List<ReplayFile> files = new ArrayList<>();
        for (String part : parts(spec)) {
            if (S3Prefixes.isPrefix(part)) {
                List<S3Prefixes.Listed> listed = new S3Prefixes(s3).list(part);
                if (listed.isEmpty()) {
                    throw new IllegalArgumentException("file=" + part + ": no objects under this prefix");
                }
                listed.forEach(object -> files.add(new ReplayFile(object.location(), s3.resource(object.location()))));
            }
            else if (S3Inputs.isS3(part)) {
                files.add(new ReplayFile(part, s3.resource(part)));
            }
            else {
                local(part).forEach(path -> files.add(new ReplayFile(path.toString(), new FileSystemResource(path))));
            }
        }
        return files;
    }

    /** One input that {@link #resolve} listed, by its name: what a partition of {@code source=file} reads. */
    ReplayFile one(String name) {
        return S3Inputs.isS3(name) ? new ReplayFile(name, s3.resource(name))
                : new ReplayFile(name, new FileSystemResource(Path.of(name)));
    }

    /**
     * What a restart compares. Local files only: the SHA-256 of their contents (as before S3 parts existed).
     * With any S3 part: a SHA-256 over each input's name and identity, the content hash for a local file and
     * size + ETag for an object (from the listing for a prefix, HeadObject for an object; see
     * S3Objects#fingerprint), so an object replaced, added under a prefix or removed refuses the restart.
     */
    InputFingerprint fingerprint(String spec) {
        List<String> parts = parts(spec);
        if (parts.stream().noneMatch(S3Inputs::isS3)) {
            List<Path> paths = new ArrayList<>();
            parts.forEach(part -> paths.addAll(local(part)));
            return InputFingerprint.of(paths);
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long bytes = 0;
        for (String part : parts) {
            List<String> identities = new ArrayList<>();
            if (S3Prefixes.isPrefix(part)) {
                for (S3Prefixes.Listed object : new S3Prefixes(s3).list(part)) {
                    identities.add(object.location() + " " + object.size() + " " + object.eTag());
                    bytes += object.size();
                }
            }
            else if (S3Inputs.isS3(part)) {
                InputFingerprint object = s3.fingerprint(part);
                identities.add(part + " " + object);
                bytes += object.bytes();
            }
            else {
                for (Path path : local(part)) {
                    InputFingerprint file = InputFingerprint.of(List.of(path));
                    identities.add(path + " " + file);
                    bytes += file.bytes();
                }
            }
            identities.forEach(identity -> digest.update((identity + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        return new InputFingerprint(bytes, "inputs:" + HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * Checks the S3 parts before the job starts (local parts are checked when the step opens them, as before).
     *
     * @return null when every S3 part can be read, else one line naming the first that cannot
     */
    String problemWith(String spec) {
        for (String part : parts(spec)) {
            if (!S3Inputs.isS3(part)) {
                continue;
            }
            String problem;
            if (S3Prefixes.isPrefix(part)) {
                problem = new S3Prefixes(s3).problemWith("file", part);
            }
            else {
                problem = s3.problemWith("file", part);
                if (problem != null && problem.endsWith(": no such object") && new S3Prefixes(s3).isFolder(part)) {
                    problem += "; objects exist under " + part + "/ (end the location with / to read them all)";
                }
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** A local part: a folder means its regular files in name order (not its sub-folders). */
    static List<Path> local(String part) {
        Path path = Path.of(part);
        if (Files.isDirectory(path)) {
            try (Stream<Path> listing = Files.list(path)) {
                return listing.filter(Files::isRegularFile).sorted().toList();
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot list " + path, e);
            }
        }
        if (Files.isReadable(path)) {
            return List.of(path);
        }
        throw new IllegalArgumentException("file=" + part + ": no such readable file or folder");
    }
}
