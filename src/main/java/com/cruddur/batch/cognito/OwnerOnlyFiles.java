package com.cruddur.batch.cognito;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that hold personal data (emails) are created readable and writable by their owner only
 * ({@code rw-------}) in the same system call that creates them, so there is no moment in which
 * another user could open them, as there would be with chmod after writing.
 */
final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {
    }

    /** Replaces any file at {@code path} by a new, empty, owner-only one. */
    static void createEmpty(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.deleteIfExists(path);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        else {
            // Not POSIX (Windows): the file inherits its folder's ACL.
            Files.createFile(path);
        }
    }
}
