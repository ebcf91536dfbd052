package com.cruddur.batch.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;

/**
 * The scope of a job's parameters record as a bean: Spring Batch's job scope, without the class proxy that
 * {@code @JobScope} adds and a record (a final class) cannot have. So inject it only into step-scoped beans,
 * which are made while the job runs, on the job's thread; tasklets read the record from their
 * {@code StepExecution} instead, and so would the beans of a partitioned or multi-threaded step, whose threads
 * have no job scope.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Scope(value = "job", proxyMode = ScopedProxyMode.NO)
public @interface JobParametersScope {
}
