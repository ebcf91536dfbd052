package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache's training run: list-tables and ci-data-setup of the shipped seed run to their end against
 * the in-process DynamoDB stand-in (so the cache holds every call they make), and the https list-tables,
 * against an unreachable endpoint, fails as it should; all of it inside the work folder.
 */
class StartupTrainingTest {

    @Test
    void trainedLaunchesRunToTheirEndAndOnlyTheHttpsOneFails(@TempDir Path work) throws Exception {
        List<Integer> exits = StartupTraining.train(work.resolve("training"), "jobs-config");

        assertThat(exits).containsExactly(ExitCodes.COMPLETED, ExitCodes.COMPLETED, ExitCodes.FAILED);
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files).containsExactly(work.resolve("training"));
        }
    }
}
