package io.tracetics.loader;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Metered;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import io.tracetics.jobs.ClusterJobRuns;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import redis.clients.jedis.exceptions.JedisException;

/** Assembles the operator's view of the pipeline from metrics, Redis and MariaDB. */
public class PipelineStatusService {
  private final String nodeName;
  private final LoaderMetrics loader;
  private final MetricRegistry registry;
  private final NoticeConsumer notices;
  private final Jdbi jdbi;
  private final ClusterJobRuns clusterJobs;

  public PipelineStatusService(
      String nodeName,
      LoaderMetrics loader,
      MetricRegistry registry,
      NoticeConsumer notices,
      Jdbi jdbi,
      ClusterJobRuns clusterJobs) {
    this.nodeName = nodeName;
    this.loader = loader;
    this.registry = registry;
    this.notices = notices;
    this.jdbi = jdbi;
    this.clusterJobs = clusterJobs;
  }

  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("node", nodeName);
    status.put("generated_at", Instant.now().toString());
    status.put("ingest", ingest());
    status.put("queue", queue());
    status.put("loader", loaderStatus());
    status.put("funnels", funnels());
    // Cluster-wide jobs: the latest run of each, with the node that ran it.
    status.put("cluster_jobs", clusterJobs.latest());
    return status;
  }

  private Map<String, Object> ingest() {
    Map<String, Object> ingest = new LinkedHashMap<>();
    registry
        .getMetrics()
        .forEach(
            (name, metric) -> {
              if (!name.startsWith("io.tracetics.ingest.")) {
                return;
              }
              String key = name.substring("io.tracetics.ingest.".length());
              if (metric instanceof Metered metered) {
                ingest.put(
                    key,
                    Map.of(
                        "count", metered.getCount(),
                        "per_second_1m", round(metered.getOneMinuteRate()),
                        "per_second_5m", round(metered.getFiveMinuteRate())));
              } else if (metric instanceof Counting counting) {
                ingest.put(key, counting.getCount());
              } else if (metric instanceof com.codahale.metrics.Gauge<?> gauge) {
                ingest.put(key, gauge.getValue());
              }
            });
    return ingest;
  }

  private Map<String, Object> queue() {
    Map<String, Object> queue = new LinkedHashMap<>();
    long unsequenced = jdbi.withExtension(LoaderDao.class, LoaderDao::countUnsequenced);
    queue.put("unsequenced_batches", unsequenced);
    queue.put("latest_epoch", loader.latestEpoch());
    if (notices == null) {
      queue.put("redis", "not configured");
      return queue;
    }
    try {
      queue.put("stream_length", notices.streamLength());
      queue.put("pending_notices", notices.pending());
      queue.put("consumer_group", notices.group());
      queue.put("redis", "up");
    } catch (JedisException e) {
      queue.put("redis", "unavailable");
    }
    queue.put("redis_failures", loader.redisFailures());
    return queue;
  }

  private Map<String, Object> loaderStatus() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("position", loader.position());
    status.put("epochs_behind", Math.max(0, loader.latestEpoch() - loader.position()));
    Snapshot lag = loader.lagMillis().getSnapshot();
    status.put(
        "lag_ms",
        Map.of(
            "p50", round(lag.getMedian()),
            "p95", round(lag.get95thPercentile()),
            "max", lag.getMax(),
            "samples_1m", lag.size()));
    Snapshot sizes = loader.epochEvents().getSnapshot();
    status.put(
        "batch_events",
        Map.of("p50", round(sizes.getMedian()), "max", sizes.getMax(), "count", sizes.size()));
    Snapshot durations = loader.epochDuration().getSnapshot();
    status.put(
        "batch_duration_ms",
        Map.of(
            "p50", millis(durations.getMedian()),
            "p95", millis(durations.get95thPercentile()),
            "count", loader.epochDuration().getCount()));
    status.put(
        "events_loaded",
        Map.of(
            "count",
            loader.eventsLoaded().getCount(),
            "per_second_1m",
            round(loader.eventsLoaded().getOneMinuteRate())));
    status.put("failed_batches", loader.failedLoads());
    status.put("retried_batches", loader.retries());
    status.put(
        "quarantined_rows", jdbi.withExtension(LoaderDao.class, LoaderDao::countQuarantined));
    long last = loader.lastSuccessMillis();
    status.put("last_success_at", last == 0 ? null : Instant.ofEpochMilli(last).toString());
    return status;
  }

  private Map<String, Object> funnels() {
    Map<String, Object> funnels = new LinkedHashMap<>();
    var timer = registry.getTimers().get("io.tracetics.reporting.recompute");
    if (timer != null) {
      Snapshot snapshot = timer.getSnapshot();
      funnels.put(
          "recompute_duration_ms",
          Map.of(
              "p50", millis(snapshot.getMedian()),
              "p95", millis(snapshot.get95thPercentile()),
              "count", timer.getCount()));
    }
    return funnels;
  }

  private static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }

  private static double millis(double nanos) {
    return round(nanos / TimeUnit.MILLISECONDS.toNanos(1));
  }
}
