package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;

/** The one-line reason keeps file and line but not the record, which may hold message text or e-mails. */
class RunSummaryTest {

    @Test
    void parseErrorsNameFileAndLineButNotTheRecord() {
        FlatFileParseException parse = new FlatFileParseException(
                "Parsing error at line: 7 in resource=[file [seed-csv/users.csv]], input=[Andrew,andrew@example.com,andrew]",
                "Andrew,andrew@example.com,andrew", 7);

        String reason = RunSummary.oneLine(new IllegalStateException("step failed", parse));

        assertThat(reason).isEqualTo("Parsing error at line: 7 in resource=[file [seed-csv/users.csv]], "
                + "input=[record not shown; debug logging shows it]");
    }
}
