package com.cruddur.batch.replay;

import org.springframework.core.io.Resource;

/**
 * One input of {@code source=file}: a local file or an S3 object.
 *
 * @param name     as given (path, or {@code s3://bucket/key}); the source of its records in the rejects file
 * @param resource what is read (a local file, or the object streamed by GetObject)
 */
public record ReplayFile(String name, Resource resource) {
}
