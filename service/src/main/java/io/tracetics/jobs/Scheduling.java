package io.tracetics.jobs;

import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.simpl.SimpleJobFactory;
import org.quartz.spi.JobFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The two Quartz schedulers, as one Dropwizard {@link Managed}: a per-node in-memory one and a
 * cluster-wide one (JDBC job store in MariaDB when clustered). Jobs are built by suppliers given
 * here, so they get their collaborators without statics; Quartz only triggers them.
 */
public final class Scheduling implements Managed {
  private static final String DATA_SOURCE = "tracetics";

  private final Scheduler local;
  private final Scheduler cluster;
  private final Map<Class<? extends Job>, Supplier<? extends Job>> jobs = new HashMap<>();

  public Scheduling(String nodeName, QuartzConfig config, ManagedDataSource quartzDataSource)
      throws SchedulerException {
    JobFactory factory =
        (bundle, scheduler) -> {
          Supplier<? extends Job> supplier = jobs.get(bundle.getJobDetail().getJobClass());
          return supplier != null
              ? supplier.get()
              : new SimpleJobFactory().newJob(bundle, scheduler);
        };
    local = create(ramProperties("tracetics-local-" + nodeName, config.threads), factory);
    if (config.clustered) {
      DBConnectionManager.getInstance()
          .addConnectionProvider(DATA_SOURCE, new PooledProvider(quartzDataSource));
      cluster = create(clusteredProperties(nodeName, config), factory);
    } else {
      cluster = create(ramProperties("tracetics", config.threads), factory);
    }
  }

  /** Runs {@code job} every {@code intervalMillis} on this node only. */
  public <J extends Job> void everyOnThisNode(Class<J> type, Supplier<J> job, long intervalMillis)
      throws SchedulerException {
    schedule(local, type, job, intervalMillis);
  }

  /** Runs {@code job} every {@code intervalMillis}, once across the cluster. */
  public <J extends Job> void everyOnceInCluster(
      Class<J> type, Supplier<J> job, long intervalMillis) throws SchedulerException {
    schedule(cluster, type, job, intervalMillis);
  }

  private <J extends Job> void schedule(
      Scheduler scheduler, Class<J> type, Supplier<J> job, long intervalMillis)
      throws SchedulerException {
    jobs.put(type, job);
    JobDetail detail =
        JobBuilder.newJob(type)
            .withIdentity(type.getSimpleName(), "tracetics")
            .storeDurably()
            .build();
    Trigger trigger =
        TriggerBuilder.newTrigger()
            .withIdentity(type.getSimpleName() + "-trigger", "tracetics")
            .forJob(detail)
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(intervalMillis)
                    .repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
            .startNow()
            .build();
    if (alreadyScheduled(scheduler, detail, intervalMillis)) {
      // The clustered store holds it from another node (or an earlier start): keep its timing,
      // so a node joining does not reset the cluster's schedule.
      return;
    }
    // Replace, not fail, when the stored job or trigger differs (new interval, renamed class).
    scheduler.scheduleJob(detail, java.util.Set.of(trigger), true);
  }

  private static boolean alreadyScheduled(
      Scheduler scheduler, JobDetail detail, long intervalMillis) {
    try {
      JobDetail stored = scheduler.getJobDetail(detail.getKey());
      Trigger trigger =
          scheduler.getTrigger(
              TriggerKey.triggerKey(detail.getKey().getName() + "-trigger", "tracetics"));
      return stored != null
          && stored.getJobClass().equals(detail.getJobClass())
          && trigger instanceof SimpleTrigger simple
          && simple.getRepeatInterval() == intervalMillis
          && simple.getRepeatCount() == SimpleTrigger.REPEAT_INDEFINITELY;
    } catch (SchedulerException e) {
      // Unreadable (a class that no longer exists): schedule afresh, replacing it.
      return false;
    }
  }

  @Override
  public void start() throws SchedulerException {
    local.start();
    cluster.start();
  }

  @Override
  public void stop() throws SchedulerException {
    local.shutdown(true);
    cluster.shutdown(true);
  }

  private static Scheduler create(Properties properties, JobFactory factory)
      throws SchedulerException {
    Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
    scheduler.setJobFactory(factory);
    return scheduler;
  }

  private static Properties ramProperties(String name, int threads) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", name);
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    return p;
  }

  private static Properties clusteredProperties(String nodeName, QuartzConfig config) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "tracetics");
    p.setProperty("org.quartz.scheduler.instanceId", nodeName);
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(config.threads));
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty(
        "org.quartz.jobStore.clusterCheckinInterval",
        Long.toString(config.clusterCheckinIntervalMillis));
    p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    p.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
    return p;
  }

  /** Quartz's JDBC store on Dropwizard's pool (Quartz's default c3p0 is not on the classpath). */
  private record PooledProvider(ManagedDataSource dataSource) implements ConnectionProvider {
    @Override
    public Connection getConnection() throws SQLException {
      return dataSource.getConnection();
    }

    @Override
    public void shutdown() {}

    @Override
    public void initialize() {}
  }
}
