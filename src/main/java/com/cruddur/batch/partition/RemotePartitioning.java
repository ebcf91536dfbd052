package com.cruddur.batch.partition;

import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilder;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.messaging.MessageChannel;

/**
 * The manager's half of remote partitioning, and what workers share with it: the RabbitMQ connection
 * ({@code spring.rabbitmq.*}), the request queue with its dead-letter queue, and the manager step
 * (Spring Batch Integration's {@link RemotePartitioningManagerStepBuilder}). The manager sends one
 * request per partition (the worker step's name and the partition's step execution id, as JSON) and
 * polls the shared job repository until every partition has ended, giving up after
 * {@code cruddur.partitioning.timeout}; no reply queue. Not a component: the launcher adds it only to
 * launches with {@code partitioning=remote}, to {@code restart <id>} of such a run, to {@code schedule} with
 * a remote entry and to {@code worker}, so no other command needs RabbitMQ.
 */
@EnableIntegration
@EnableConfigurationProperties(RabbitProperties.class)
public class RemotePartitioning {

    public static final String PREFIX = "cruddur.partitioning";
    public static final String DEFAULT_QUEUE = "cruddur-batch.partitions";
    /** For the whole partitioned step: a partition whose worker died never ends, and this ends the wait. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    private final String queue;
    private final Duration timeout;
    private final Duration pollInterval;
    private final BeanFactory beanFactory;

    public RemotePartitioning(Environment environment, BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
        this.queue = environment.getProperty(PREFIX + ".queue", DEFAULT_QUEUE);
        this.timeout = environment.getProperty(PREFIX + ".timeout", Duration.class, DEFAULT_TIMEOUT);
        this.pollInterval = environment.getProperty(PREFIX + ".poll-interval", Duration.class, DEFAULT_POLL_INTERVAL);
    }

    public String queue() {
        return queue;
    }

    public String deadLetterQueue() {
        return queue + ".dead";
    }

    /** Spring Boot's own configurers, so every {@code spring.rabbitmq.*} property applies as documented. */
    @Bean
    ConnectionFactory partitionConnectionFactory(RabbitProperties properties, ResourceLoader resourceLoader)
            throws Exception {
        RabbitConnectionFactoryBean factoryBean = new RabbitConnectionFactoryBean();
        new RabbitConnectionFactoryBeanConfigurer(resourceLoader, properties).configure(factoryBean);
        factoryBean.afterPropertiesSet();
        CachingConnectionFactory factory = new CachingConnectionFactory(factoryBean.getObject());
        new CachingConnectionFactoryConfigurer(properties).configure(factory, properties);
        return factory;
    }

    /** Declares the queues below when the first connection opens (the first request sent or the worker's start). */
    @Bean
    RabbitAdmin partitionRabbitAdmin(ConnectionFactory partitionConnectionFactory) {
        return new RabbitAdmin(partitionConnectionFactory);
    }

    /** Durable; a request a worker rejects (malformed) goes to the dead-letter queue, never back. */
    @Bean
    Queue partitionRequestQueue() {
        return QueueBuilder.durable(queue).withArguments(Map.of("x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", deadLetterQueue())).build();
    }

    @Bean
    Queue partitionDeadLetterQueue() {
        return QueueBuilder.durable(deadLetterQueue()).build();
    }

    @Bean
    MessageChannel partitionRequests() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow partitionRequestsToRabbit(MessageChannel partitionRequests, ConnectionFactory partitionConnectionFactory) {
        RabbitTemplate template = new RabbitTemplate(partitionConnectionFactory);
        return IntegrationFlow.from(partitionRequests).transform(PartitionRequests::toJson)
                .handle(Amqp.outboundAdapter(template).routingKey(queue)).get();
    }

    /** The manager step: one request per partition to the queue, then polling the job repository. */
    Step managerStep(String name, String workerName, JobRepository jobRepository, Partitioner partitioner) {
        return new RemotePartitioningManagerStepBuilder(name, jobRepository).partitioner(workerName, partitioner)
                .outputChannel(beanFactory.getBean("partitionRequests", MessageChannel.class)).pollInterval(pollInterval.toMillis())
                .timeout(timeout.toMillis()).listener(new TimeoutReport(jobRepository, workerName)).build();
    }

    /**
     * After the manager step: the partitions' outcome as the workers wrote it to the repository (the
     * manager's copies stay STARTING when it gives up). On a timeout, the partitions still STARTING or
     * STARTED are marked FAILED (Spring Batch restarts no job with a step execution that looks running,
     * and a late worker then drops their requests), and the reason says what happened and what to do,
     * ahead of the poller's own "Timed out waiting for task to return non-null result".
     */
    private final class TimeoutReport implements StepExecutionListener {

        private final JobRepository jobRepository;
        private final String workerName;

        TimeoutReport(JobRepository jobRepository, String workerName) {
            this.jobRepository = jobRepository;
            this.workerName = workerName;
        }

        @Override
        public ExitStatus afterStep(StepExecution manager) {
            List<String> unfinished = new ArrayList<>();
            for (StepExecution partition : manager.getJobExecution().getStepExecutions()) {
                if (!partition.getStepName().startsWith(workerName + ":")) {
                    continue;
                }
                StepExecution stored = jobRepository.getStepExecution(partition.getId());
                if (stored == null) {
                    continue;
                }
                partition.setStatus(stored.getStatus());
                partition.setExitStatus(stored.getExitStatus());
                partition.setReadCount(stored.getReadCount());
                partition.setWriteCount(stored.getWriteCount());
                partition.setStartTime(stored.getStartTime());
                partition.setEndTime(stored.getEndTime());
                if (stored.getStatus().isRunning()) {
                    unfinished.add(partition.getStepName() + " " + stored.getStatus());
                }
            }
            boolean timedOut = manager.getFailureExceptions().stream().anyMatch(e -> e instanceof TimeoutException);
            if (timedOut) {
                for (StepExecution partition : manager.getJobExecution().getStepExecutions()) {
                    if (partition.getStepName().startsWith(workerName + ":") && partition.getStatus().isRunning()) {
                        StepExecution stored = jobRepository.getStepExecution(partition.getId());
                        stored.setStatus(BatchStatus.FAILED);
                        stored.setExitStatus(ExitStatus.FAILED.addExitDescription("given up by the manager after "
                                + PREFIX + ".timeout=" + timeout));
                        stored.setEndTime(LocalDateTime.now());
                        jobRepository.update(stored);
                        partition.setStatus(BatchStatus.FAILED);
                    }
                }
                manager.getFailureExceptions().add(0, new IllegalStateException("timeout: not every partition ended "
                        + "within " + PREFIX + ".timeout=" + timeout + " (" + String.join(", ", unfinished) + "); a "
                        + "worker that died leaves its partition STARTED, a STARTING one was never taken (no worker "
                        + "running?); launch the job again to rerun the unfinished partitions"));
            }
            return null;
        }
    }

    /**
     * Null when the job repository can be shared by processes on several hosts; otherwise why not (the
     * embedded H2 file database lives on one host, in one folder).
     */
    public static String sharedRepositoryProblem(DataSource dataSource) {
        String product;
        try {
            product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        }
        catch (Exception e) {
            return null;
        }
        return "H2".equalsIgnoreCase(product)
                ? "remote partitioning needs a job repository every process shares (PostgreSQL: "
                        + "--spring.profiles.active=prod or --spring.datasource.url=jdbc:postgresql://...), not the "
                        + "embedded H2 database"
                : null;
    }
}
