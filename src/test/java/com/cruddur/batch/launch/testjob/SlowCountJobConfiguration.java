package com.cruddur.batch.launch.testjob;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.Progress;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A slow, restartable job for the operations tests (SIGTERM, scheduler overlap): its reader keeps its
 * position in the ExecutionContext ({@code numbers.read.count}), so a restart resumes after the last commit.
 */
@Configuration(proxyBeanMethods = false)
public class SlowCountJobConfiguration {

    @Bean(TestJobs.SLOW_COUNT)
    Job slowCountJob(JobRepository jobRepository, Step slowCountStep) {
        return new JobBuilder(TestJobs.SLOW_COUNT, jobRepository).start(slowCountStep).build();
    }

    @Bean(TestJobs.SLOW_COUNT_SCOPED)
    Job slowCountScopedJob(JobRepository jobRepository, Step slowCountScopedStep) {
        return new JobBuilder(TestJobs.SLOW_COUNT_SCOPED, jobRepository).start(slowCountScopedStep).build();
    }

    @Bean
    @JobScope
    Step slowCountScopedStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Console console) {
        return slowCountStep(jobRepository, transactionManager, console);
    }

    @Bean
    Step slowCountStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, Console console) {
        SlowNumbers numbers = new SlowNumbers();
        return new StepBuilder("count", jobRepository).<Integer, Integer>chunk(1)
                .transactionManager(transactionManager)
                .reader(numbers)
                .listener(numbers)
                .writer(chunk -> chunk.forEach(n -> console.println("number " + n)))
                .build();
    }

    /**
     * Not step-scoped on purpose: a class proxy of this reader would count items on the proxy (read() is
     * final) and save 0; the parameters come from the step execution instead.
     */
    static final class SlowNumbers extends AbstractItemCountingItemStreamItemReader<Integer>
            implements StepExecutionListener {

        private int items;
        private long millis;
        private int next;
        private String failWhile;
        private String holdWhile;

        SlowNumbers() {
            setName("numbers");
        }

        @Override
        public void beforeStep(StepExecution stepExecution) {
            items = Integer.parseInt(stepExecution.getJobParameters().getString("items"));
            millis = Long.parseLong(stepExecution.getJobParameters().getString("millis"));
            next = 0;
            failWhile = stepExecution.getJobParameters().getString("fail-while");
            holdWhile = stepExecution.getJobParameters().getString("hold-while");
            setMaxItemCount(items);
            Progress.expectTotal(stepExecution.getExecutionContext(), items);
        }

        @Override
        protected void doOpen() {
        }

        @Override
        protected Integer doRead() throws Exception {
            while (holdWhile != null && java.nio.file.Files.exists(java.nio.file.Path.of(holdWhile))) {
                Thread.sleep(20);
            }
            Thread.sleep(millis);
            if (next + 1 == 3 && failWhile != null && java.nio.file.Files.exists(java.nio.file.Path.of(failWhile))) {
                throw new IllegalStateException("failing at item 3 while " + failWhile + " exists");
            }
            return ++next <= items ? next : null;
        }

        @Override
        protected void jumpToItem(int itemIndex) {
            next = itemIndex;
        }

        @Override
        protected void doClose() {
        }
    }
}
