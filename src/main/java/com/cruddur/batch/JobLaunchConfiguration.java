package com.cruddur.batch;

import com.cruddur.batch.aws.AwsClientsConfiguration;
import com.cruddur.batch.aws.CruddurProperties;
import com.cruddur.batch.launch.EveryJobListener;
import com.cruddur.batch.launch.JobLock;
import com.cruddur.batch.launch.JobRepositoryConfiguration;
import com.cruddur.batch.launch.JobRunner;
import com.cruddur.batch.launch.MetricsFile;
import com.cruddur.batch.launch.ProcessMarker;
import com.cruddur.batch.launch.ProgressReporter;
import com.cruddur.batch.launch.RejectsExitStatus;
import com.cruddur.batch.launch.RunningJobs;
import com.cruddur.batch.launch.StepStartCheckpoint;
import com.cruddur.batch.users.UsersTable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * What one job launch needs besides the job's own configuration classes ({@code JobCatalog}): the
 * auto-configurations of {@link LaunchAutoConfigurations} (data source, job repository), the properties,
 * the AWS clients and the launcher's beans. The launcher starts a job with this plus that job's
 * configuration only, so a launch neither reads nor builds the other jobs' beans; {@link CruddurBatchApplication} (every job, by component
 * scan) serves the commands that need all jobs (schedule, restart, executions). Listed, not scanned: a
 * scan reads every class of the jar at each start. JobLaunchConfigurationTest fails when a new shared
 * component is missing here.
 */
@EnableConfigurationProperties(CruddurProperties.class)
@Import({ LaunchAutoConfigurations.class, JobRepositorySchema.class, AwsClientsConfiguration.class, UsersTable.class,
        JobRepositoryConfiguration.class, JobRunner.class, JobLock.class, RunningJobs.class, ProcessMarker.class,
        RejectsExitStatus.class, ProgressReporter.class, MetricsFile.class, EveryJobListener.Registrar.class, StepStartCheckpoint.class })
public class JobLaunchConfiguration {
}
