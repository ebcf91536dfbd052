package com.cruddur.batch.launch;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.item.ChunkOrientedStep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Saves the ExecutionContext of every chunk-oriented step as soon as it starts. Spring Batch 6 saves an
 * empty context when it creates a step execution and gives a restart its predecessor's context only in
 * memory; {@link ChunkOrientedStep} first writes it at its first commit (TaskletStep writes it at start).
 * A restart killed before that commit left an empty context as the instance's latest, so the next
 * restart started the step over. Registered on every such step bean, job-scoped ones included.
 */
@Configuration(proxyBeanMethods = false)
public class StepStartCheckpoint {

    /** Static: a BeanPostProcessor must not drag its configuration's other beans in early. */
    @Bean
    static BeanPostProcessor stepStartCheckpointRegistrar(ObjectProvider<JobRepository> jobRepository) {
        StepExecutionListener saveAtStart = new StepExecutionListener() {
            @Override
            public void beforeStep(StepExecution stepExecution) {
                jobRepository.getObject().updateExecutionContext(stepExecution);
            }
        };
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof ChunkOrientedStep<?, ?> step) {
                    step.registerStepExecutionListener(saveAtStart);
                }
                return bean;
            }
        };
    }
}
