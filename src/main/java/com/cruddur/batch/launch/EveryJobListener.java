package com.cruddur.batch.launch;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A listener every job gets: a bean implementing this is registered on every {@link AbstractJob} bean,
 * so cross-cutting concerns (process marker, SIGTERM handling, metrics, exit status) need nothing in
 * the job configurations.
 */
public interface EveryJobListener extends JobExecutionListener {

    @Configuration(proxyBeanMethods = false)
    class Registrar {

        /** Static: a BeanPostProcessor must not drag its configuration's other beans in early. */
        @Bean
        static BeanPostProcessor everyJobListenerRegistrar(ObjectProvider<EveryJobListener> listeners) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof AbstractJob job) {
                        listeners.orderedStream().forEach(job::registerJobExecutionListener);
                    }
                    return bean;
                }
            };
        }
    }
}
