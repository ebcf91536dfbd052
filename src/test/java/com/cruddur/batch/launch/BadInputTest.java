package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;

/**
 * Values that used to pass the command line and fail the run later (exit 1), or be ignored: each is now
 * one line naming what is wrong, exit 2, before anything runs.
 */
class BadInputTest {

    private final Cli cli = new Cli();

    @Test
    void numbersOutOfRangeAreRefusedOnTheCommandLine() {
        assertUsage(cli.run("table-export", "dir=/tmp/never", "chunk-size=99999999999"),
                "error: table-export: bad value for chunk-size='99999999999': expected a whole number from 1 to 2147483647");
        assertUsage(cli.run("table-import", "dir=/tmp/never", "concurrency=2147483648"),
                "error: table-import: bad value for concurrency='2147483648': expected a whole number from 1 to 2147483647");
        assertUsage(cli.run("conversation-export", "group=5ae290ed-55d1-47a0-bc6d-fe2bc2700399", "page-size=99999999999"),
                "error: conversation-export: bad value for page-size='99999999999': expected a whole number from 1 to 2147483647");
        assertUsage(cli.run("schema-load", "wait-seconds=99999999999"),
                "error: schema-load: bad value for wait-seconds='99999999999': expected a whole number from 1 to 86400");
        assertUsage(cli.run("schema-load", "read-capacity=-1"),
                "error: schema-load: bad value for read-capacity='-1': expected a whole number from 1 to 2147483647");
    }

    @Test
    void badTableNamesAreRefusedOnTheCommandLine() {
        String rule = "expected a DynamoDB table name: 3-255 characters of a-z A-Z 0-9 _ . -";
        assertUsage(cli.run("schema-load", "table=ab"), "error: schema-load: bad value for table='ab': " + rule);
        assertUsage(cli.run("table-export", "table=my table", "dir=/tmp/never"),
                "error: table-export: bad value for table='my table': " + rule);
        assertUsage(cli.run("message-group-replay", "source=table", "table=x/y"),
                "error: message-group-replay: bad value for table='x/y': " + rule);
        assertUsage(cli.run("drop-table", "table=a*", "confirm=a*"), "error: drop-table: bad value for table='a*': " + rule);
        assertUsage(cli.run("conversation-seed", "table=" + "t".repeat(256)),
                "error: conversation-seed: bad value for table='" + "t".repeat(256) + "': " + rule);
    }

    @Test
    void parametersThatDisagreeAreRefusedOnTheCommandLine() {
        assertUsage(cli.run("conversation-export", "group=5ae290ed-55d1-47a0-bc6d-fe2bc2700399",
                "from=2026-03-02T00:00:00Z", "to=2026-03-01T00:00:00Z"),
                "error: conversation-export: from=2026-03-02T00:00:00Z is after to=2026-03-01T00:00:00Z");
        assertUsage(cli.run("message-group-replay", "source=file"),
                "error: message-group-replay: source=file needs file=...");
    }

    @Test
    void anUnknownCruddurPropertyIsRefusedNamingIt() {
        Cli.Result misspelt = cli.run("list-tables", "--cruddur.dynamodb.tabel-name=x");
        assertThat(misspelt.exitCode()).as(misspelt.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(misspelt.err().strip()).startsWith("error: unknown property --cruddur.dynamodb.tabel-name; "
                + "the cruddur.* properties are: cruddur.aws.region, ").doesNotContain("\n");
        assertThat(cli.run("list-tables", "--cruddur.colour=red").err()).startsWith("error: unknown property --cruddur.colour;");
        // Known ones in any of Spring's relaxed spellings still work.
        Cli.Result relaxed = cli.run("list-tables", "prefix=none-", "--cruddur.dynamodb.tableName=other-table",
                "--cruddur.aws.max-attempts=2");
        assertThat(relaxed.exitCode()).as(relaxed.toString()).isZero();
    }

    @Test
    void theProdProfileWithoutARegionIsAConfigurationError() {
        Cli.Result result = cli.run("list-tables", "--spring.profiles.active=prod", "--AWS_REGION=",
                "--AWS_DEFAULT_REGION=");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip())
                .isEqualTo("error: could not start: no AWS region: set AWS_REGION (or cruddur.aws.region)");
    }

    /** A host that merely starts with "127." is a name like any other: writing there needs allow-prod=true. */
    @Test
    void onlyLoopbackAddressesCountAsLocal() {
        Cli.Result refused = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", "http://127.example.invalid:8000")
                .run("drop-table", "table=never-there", "confirm=never-there");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().strip()).isEqualTo("error: drop-table: refusing to delete never-there at "
                + "http://127.example.invalid:8000, which is not local; add allow-prod=true if you really mean it");

        Map<String, Boolean> hosts = Map.ofEntries(Map.entry("localhost", true), Map.entry("LOCALHOST", true),
                Map.entry("127.0.0.1", true), Map.entry("127.1.2.3", true), Map.entry("[::1]", true),
                Map.entry("::1", true), Map.entry("[0:0:0:0:0:0:0:1]", true), Map.entry("127.example.invalid", false),
                Map.entry("127.0.0.1.example.invalid", false), Map.entry("localhost.example.invalid", false),
                Map.entry("127.0.0.256", false), Map.entry("128.0.0.1", false), Map.entry("[::2]", false),
                Map.entry("dynamodb.us-east-1.amazonaws.com", false));
        hosts.forEach((host, local) -> assertThat(AwsEndpoints.isLoopbackHost(host)).as(host).isEqualTo(local));
        assertThat(ProdSafety.databaseIsLocal("jdbc:postgresql://127.example.invalid:5432/cruddur")).isFalse();
        assertThat(ProdSafety.databaseIsLocal("jdbc:postgresql://127.0.0.1:5432/cruddur")).isTrue();
        assertThat(ProdSafety.databaseIsLocal("jdbc:postgresql://[::1]:5432/cruddur")).isTrue();
    }

    private static void assertUsage(Cli.Result result, String line) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip()).isEqualTo(line);
        assertThat(result.out()).isEmpty();
    }
}
