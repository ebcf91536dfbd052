package com.cruddur.batch.partition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * The worker's half of remote partitioning ({@code worker} command): consumes partition requests and
 * runs each with Spring Batch Integration's {@link StepExecutionRequestHandler}, which finds the worker
 * step by the name in the request (the job's worker step bean) and executes the partition's step
 * execution from the shared job repository. This is the flow RemotePartitioningWorkerStepBuilder
 * registers, built here once for every job's worker steps (the builder would fix each step's chunk size
 * at start-up; ours come from each job's parameters, see {@link Partitioning#workerStep}).
 * <p>
 * Each request is acknowledged when its partition starts, and only a partition still STARTING (sent,
 * not yet begun) is run: a request redelivered after its worker died (kill -9) finds its partition
 * STARTED and is dropped with a log line, so no partition runs twice; that partition stays STARTED, the
 * manager gives up after its timeout, and relaunching the job reruns it from its last commit. A message
 * that is not a request is rejected to the dead-letter queue, never redelivered. Not a component: only
 * {@code worker} builds it.
 */
@Import(RemotePartitioning.class)
public class RemoteWorker {

    public static final String CONCURRENCY = RemotePartitioning.PREFIX + ".worker-concurrency";

    private static final Log logger = LogFactory.getLog(RemoteWorker.class);

    private final RemotePartitioning partitioning;
    private final StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
    private final JobRepository jobRepository;
    private final Set<StepExecution> inHand = ConcurrentHashMap.newKeySet();
    private final int concurrency;
    private volatile boolean stopping;
    private SimpleMessageListenerContainer container;

    public RemoteWorker(RemotePartitioning partitioning, JobRepository jobRepository, BeanFactory beanFactory,
            Environment environment) {
        this.partitioning = partitioning;
        this.jobRepository = jobRepository;
        this.concurrency = environment.getProperty(CONCURRENCY, Integer.class, 1);
        handler.setJobRepository(jobRepository);
        handler.setStepLocator(name -> new InHandStep(beanFactory.getBean(name, Step.class)));
    }

    public int concurrency() {
        return concurrency;
    }

    public String queue() {
        return partitioning.queue();
    }

    /** Consumers start with {@link #start}, not with the context. */
    @Bean
    SimpleMessageListenerContainer partitionListenerContainer(ConnectionFactory partitionConnectionFactory) {
        SimpleMessageListenerContainer listener = new SimpleMessageListenerContainer(partitionConnectionFactory);
        listener.setQueueNames(partitioning.queue());
        listener.setConcurrentConsumers(concurrency);
        // One request at a time per consumer: the others stay in the queue for workers that are free.
        listener.setPrefetchCount(1);
        listener.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        listener.setDefaultRequeueRejected(false);
        listener.setAutoStartup(false);
        listener.setErrorHandler(e -> logger.error("partition request failed: " + e.getClass().getSimpleName()));
        this.container = listener;
        return listener;
    }

    @Bean
    IntegrationFlow partitionRequestsFromRabbit(SimpleMessageListenerContainer partitionListenerContainer) {
        return IntegrationFlow.from(Amqp.inboundAdapter(partitionListenerContainer).messageConverter(new RawBody()))
                .handle(this::onRequest).get();
    }

    public void start() {
        container.start();
    }

    /**
     * Takes no more requests, asks the partitions in hand to stop at their next commit (they end
     * STOPPED, restartable) and waits up to {@code timeout} for them. @return true when none is left
     */
    public boolean stop(Duration timeout) {
        stopping = true;
        inHand.forEach(StepExecution::setTerminateOnly);
        long deadline = System.nanoTime() + timeout.toNanos();
        container.setShutdownTimeout(Math.max(1, timeout.toMillis()));
        container.stop();
        while (!inHand.isEmpty() && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inHand.isEmpty();
    }

    private Object onRequest(Object payload, org.springframework.messaging.MessageHeaders headers) {
        Channel channel = (Channel) headers.get(AmqpHeaders.CHANNEL);
        long tag = (Long) headers.get(AmqpHeaders.DELIVERY_TAG);
        try {
            handle((byte[]) payload, channel, tag);
        }
        catch (IOException e) {
            logger.error("partition request: RabbitMQ channel failed: " + e.getMessage());
        }
        return null;
    }

    private void handle(byte[] body, Channel channel, long tag) throws IOException {
        if (stopping) {
            channel.basicReject(tag, true);
            return;
        }
        StepExecutionRequest request;
        try {
            request = PartitionRequests.fromJson(body);
        }
        catch (IllegalArgumentException e) {
            channel.basicReject(tag, false);
            logger.warn("rejected a message that is not a partition request (" + e.getMessage() + ", " + body.length
                    + " bytes) to " + partitioning.deadLetterQueue());
            return;
        }
        StepExecution execution;
        try {
            execution = jobRepository.getStepExecution(request.getStepExecutionId());
        }
        catch (RuntimeException e) {
            execution = null;
        }
        if (execution == null) {
            channel.basicReject(tag, false);
            logger.warn("rejected the request for step execution " + request.getStepExecutionId() + " to "
                    + partitioning.deadLetterQueue() + ": no such step execution in this job repository (does the "
                    + "worker use the manager's?)");
            return;
        }
        if (execution.getStatus() != BatchStatus.STARTING) {
            channel.basicAck(tag, false);
            logger.warn("dropped the request for " + execution.getStepName() + " (step execution " + execution.getId()
                    + "): it is " + execution.getStatus() + ", so a worker took it before (one that died leaves it "
                    + "STARTED; the manager times out and relaunching the job reruns it)");
            return;
        }
        channel.basicAck(tag, false);
        String job = execution.getJobExecution().getJobInstance().getJobName();
        logger.info("running " + execution.getStepName() + " of " + job + " execution "
                + execution.getJobExecutionId());
        StepExecution done;
        try {
            done = handler.handle(request);
        }
        catch (RuntimeException e) {
            // The step's own failures end in its step execution; this is the request handler's (no such step).
            logger.error(execution.getStepName() + " of " + job + " execution " + execution.getJobExecutionId()
                    + " not run: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        logger.info(execution.getStepName() + " of " + job + " execution " + execution.getJobExecutionId() + ": "
                + done.getStatus() + " (" + done.getWriteCount() + " written)");
    }

    /** Records the partition while it runs, so that {@link #stop} can ask it to stop. */
    private final class InHandStep implements Step {

        private final Step step;

        InHandStep(Step step) {
            this.step = step;
        }

        @Override
        public String getName() {
            return step.getName();
        }

        @Override
        public void execute(StepExecution stepExecution) throws JobInterruptedException {
            inHand.add(stepExecution);
            if (stopping) {
                stepExecution.setTerminateOnly();
            }
            try {
                step.execute(stepExecution);
            }
            finally {
                inHand.remove(stepExecution);
            }
        }
    }

    /** The body as it came: whatever was published, the worker decides what it is (never deserialised). */
    private static final class RawBody implements MessageConverter {

        @Override
        public org.springframework.amqp.core.Message toMessage(Object object, MessageProperties properties) {
            return new org.springframework.amqp.core.Message(object instanceof byte[] bytes ? bytes
                    : String.valueOf(object).getBytes(StandardCharsets.UTF_8), properties);
        }

        @Override
        public Object fromMessage(org.springframework.amqp.core.Message message) {
            return message.getBody();
        }
    }
}
