package com.cruddur.batch.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What identifies the input of a run: total size and a SHA-256 of the contents of its files, in order
 * (each file's length hashed before its bytes). Kept in the job's ExecutionContext at the first start so
 * that a restart, which resumes at a saved record count, can tell that the file is still the one counted.
 * <p>
 * The whole file is hashed, not only the part consumed: a restart's position is a count of records, and a
 * byte offset of it is not kept, while hashing is cheap next to seeding (one sequential read, about
 * 0.3 s per 100 MB, once at the first start and once per restart). Size and modification time alone were
 * not chosen: a copy ({@code cp -p}, {@code rsync -t}) keeps the time of a different file, and a file
 * written again with the same content gets a new one.
 *
 * @param bytes  total size of the files
 * @param sha256 hex digest of the contents
 */
public record InputFingerprint(long bytes, String sha256) {

    public static InputFingerprint of(List<Path> files) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long total = 0;
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        for (Path file : files) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = 0;
                ByteBuffer length = ByteBuffer.allocate(Long.BYTES).putLong(channel.size()).flip();
                digest.update(length);
                while (channel.read(buffer.clear()) > 0) {
                    size += buffer.flip().remaining();
                    digest.update(buffer);
                }
                total += size;
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return new InputFingerprint(total, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * An S3 object's: its size and ETag (and version id, when the bucket keeps versions) in place of the
     * SHA-256, which would mean downloading the object; why that is enough is in S3Objects.fingerprint.
     */
    public static InputFingerprint ofObject(long bytes, String eTag, String versionId) {
        return new InputFingerprint(bytes, "s3-etag:" + eTag + (versionId == null ? "" : " version:" + versionId));
    }

    /** As kept in an ExecutionContext: {@code <bytes> <sha256>}. */
    @Override
    public String toString() {
        return bytes + " " + sha256;
    }

    public static InputFingerprint parse(String kept) {
        String[] parts = kept.split(" ", 2);
        return new InputFingerprint(Long.parseLong(parts[0]), parts[1]);
    }

    /** How this one differs from an earlier one, in words. */
    public String differenceFrom(InputFingerprint then) {
        return then.bytes == bytes ? "same size, different content"
                : then.bytes + " bytes then, " + bytes + " now";
    }
}
