package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.JobLaunchConfiguration;
import com.cruddur.batch.aws.S3ClientConfiguration;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.JobTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * table-export then table-import in-process against dynalite: a small table through a temporary folder into
 * a new table holds the same items, and the console lines say so.
 */
@SpringBatchTest
@SpringBootTest(classes = { JobLaunchConfiguration.class, TableExportJobConfiguration.class,
        TableImportJobConfiguration.class, S3ClientConfiguration.class, JobTestContext.class },
        properties = JobTestContext.CONFIG)
class TableJobsFunctionalTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        JobTestContext.properties(registry, "table-jobs");
    }

    @TempDir
    Path dir;

    @Autowired
    private JobTestContext context;
    @Autowired
    @Qualifier(TableExportParameters.JOB)
    private Job tableExport;
    @Autowired
    @Qualifier(TableImportParameters.JOB)
    private Job tableImport;

    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @Test
    void aTableExportedToAFolderAndImportedIntoANewTableHoldsTheSameItems() throws Exception {
        String source = TestTables.create(dynamoDb, "functional-src");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            items.addAll(TestTables.conversation("f" + c, 10, 200));
        }
        items.addAll(TestTables.oddItems());
        TestTables.put(dynamoDb, source, items);
        List<Map<String, AttributeValue>> sourceItems = TestTables.scanAll(dynamoDb, source);
        Path folder = dir.resolve("export");

        JobExecution exported = context.launch(tableExport, TableExportParameters.DESCRIPTOR,
                Map.of("table", source, "dir", folder.toString(), "segments", "3", "gzip", "true", "chunk-size", "7",
                        "threads", "2"));

        assertThat(exported.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(Files.exists(folder.resolve(ExportManifest.FILE_NAME))).isTrue();
        assertThat(ExportManifest.readFrom(folder.resolve(ExportManifest.FILE_NAME)).itemCount())
                .isEqualTo(sourceItems.size());
        assertThat(context.takeLines()).contains("exported " + sourceItems.size() + " items of " + source + " to "
                + folder + " (3 files, " + ExportManifest.FILE_NAME + ")");

        String target = TestTables.create(dynamoDb, "functional-target");
        assertThat(TestTables.scanAll(dynamoDb, target)).isEmpty();

        JobExecution imported = context.launch(tableImport, TableImportParameters.DESCRIPTOR,
                Map.of("table", target, "dir", folder.toString(), "chunk-size", "5", "threads", "2"));

        assertThat(imported.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(TestTables.canonical(TestTables.scanAll(dynamoDb, target)))
                .containsExactlyElementsOf(TestTables.canonical(sourceItems));
        assertThat(context.takeLines()).anySatisfy(line -> assertThat(line)
                .startsWith("imported " + sourceItems.size() + " items from " + folder + " (3 files, exported from "
                        + source + " at ")
                .endsWith(") into " + target));
    }
}
