package io.tracetics.loader;

import com.codahale.metrics.Timer;
import io.tracetics.ingest.IngestMetrics;
import io.tracetics.jobs.ClusterJobRuns;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import redis.clients.jedis.exceptions.JedisException;

/** Assembles the operator's view of the pipeline from the metrics objects, Redis and MariaDB. */
public class PipelineStatusService {
  private final String nodeName;
  private final IngestMetrics ingest;
  private final LoaderMetrics loader;
  private final Timer recompute;
  private final NoticeConsumer notices;
  private final Jdbi jdbi;
  private final ClusterJobRuns clusterJobs;
  private final SavedFunnelsStatus savedFunnels;

  /** Apps listed in the saved funnels' refresh status, most behind first. */
  static final int LAGGING_APPS = 100;

  public PipelineStatusService(
      String nodeName,
      IngestMetrics ingest,
      LoaderMetrics loader,
      Timer recompute,
      NoticeConsumer notices,
      Jdbi jdbi,
      ClusterJobRuns clusterJobs,
      SavedFunnelsStatus savedFunnels) {
    this.nodeName = nodeName;
    this.ingest = ingest;
    this.loader = loader;
    this.recompute = recompute;
    this.notices = notices;
    this.jdbi = jdbi;
    this.clusterJobs = clusterJobs;
    this.savedFunnels = savedFunnels;
  }

  public PipelineStatus status() {
    return new PipelineStatus(
        nodeName,
        Instant.now().toString(),
        ingest.status(),
        queue(),
        loaderStatus(),
        new PipelineStatus.Funnels(
            PipelineStatus.Durations.of(recompute), savedFunnels.cluster(LAGGING_APPS)),
        // Cluster-wide jobs: the latest run of each, with the node that ran it.
        clusterJobs.latest());
  }

  private PipelineStatus.Queue queue() {
    long unsequenced = jdbi.withExtension(LoaderDao.class, LoaderDao::countUnsequenced);
    if (notices == null) {
      return new PipelineStatus.Queue(
          unsequenced, loader.latestEpoch(), null, null, null, "not configured", null);
    }
    try {
      return new PipelineStatus.Queue(
          unsequenced,
          loader.latestEpoch(),
          notices.streamLength(),
          notices.pending(),
          notices.group(),
          "up",
          loader.redisFailures());
    } catch (JedisException e) {
      return new PipelineStatus.Queue(
          unsequenced,
          loader.latestEpoch(),
          null,
          null,
          null,
          "unavailable",
          loader.redisFailures());
    }
  }

  private PipelineStatus.Loader loaderStatus() {
    long last = loader.lastSuccessMillis();
    return new PipelineStatus.Loader(
        loader.position(),
        Math.max(0, loader.latestEpoch() - loader.position()),
        PipelineStatus.Lag.of(loader.lagMillis().getSnapshot()),
        PipelineStatus.Sizes.of(loader.epochEvents().getSnapshot()),
        PipelineStatus.Durations.of(loader.epochDuration()),
        new PipelineStatus.Rate(
            loader.eventsLoaded().getCount(),
            PipelineStatus.round(loader.eventsLoaded().getOneMinuteRate())),
        loader.failedLoads(),
        loader.retries(),
        jdbi.withExtension(LoaderDao.class, LoaderDao::countQuarantined),
        last == 0 ? null : Instant.ofEpochMilli(last).toString());
  }
}
