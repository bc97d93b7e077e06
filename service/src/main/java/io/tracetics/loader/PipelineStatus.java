package io.tracetics.loader;

import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tracetics.ingest.IngestMetrics;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The operator's view of the pipeline on the node that answers ({@code GET /api/v1/pipeline}). */
public record PipelineStatus(
    @JsonProperty("node") String node,
    @JsonProperty("generated_at") String generatedAt,
    @JsonProperty("ingest") IngestMetrics.Status ingest,
    @JsonProperty("queue") Queue queue,
    @JsonProperty("loader") Loader loader,
    @JsonProperty("funnels") Funnels funnels,
    @JsonProperty("cluster_jobs") Map<String, Object> clusterJobs) {

  /** The work waiting between MariaDB and the loader; Redis fields are null when it is down. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Queue(
      @JsonProperty("unsequenced_batches") long unsequencedBatches,
      @JsonProperty("latest_epoch") long latestEpoch,
      @JsonProperty("stream_length") Long streamLength,
      @JsonProperty("pending_notices") Long pendingNotices,
      @JsonProperty("consumer_group") String consumerGroup,
      @JsonProperty("redis") String redis,
      @JsonProperty("redis_failures") Long redisFailures) {}

  public record Loader(
      @JsonProperty("position") long position,
      @JsonProperty("epochs_behind") long epochsBehind,
      @JsonProperty("lag_ms") Lag lagMs,
      @JsonProperty("batch_events") Sizes batchEvents,
      @JsonProperty("batch_duration_ms") Durations batchDurationMs,
      @JsonProperty("events_loaded") Rate eventsLoaded,
      @JsonProperty("failed_batches") long failedBatches,
      @JsonProperty("retried_batches") long retriedBatches,
      @JsonProperty("quarantined_rows") long quarantinedRows,
      @JsonProperty("last_success_at") String lastSuccessAt) {}

  /**
   * Saved funnels: how long recomputations take on this node, and their refreshes across the
   * cluster (how far each app's cached reports lag behind the loads, who refreshes them).
   */
  public record Funnels(
      @JsonProperty("recompute_duration_ms") Durations recomputeDurationMs,
      @JsonProperty("refresh") SavedFunnelsStatus.Cluster refresh) {}

  public record Lag(
      @JsonProperty("p50") double p50,
      @JsonProperty("p95") double p95,
      @JsonProperty("max") long max,
      @JsonProperty("samples_1m") int samples1m) {
    static Lag of(Snapshot lag) {
      return new Lag(
          round(lag.getMedian()), round(lag.get95thPercentile()), lag.getMax(), lag.size());
    }
  }

  public record Sizes(
      @JsonProperty("p50") double p50,
      @JsonProperty("max") long max,
      @JsonProperty("count") int count) {
    static Sizes of(Snapshot sizes) {
      return new Sizes(round(sizes.getMedian()), sizes.getMax(), sizes.size());
    }
  }

  public record Durations(
      @JsonProperty("p50") double p50,
      @JsonProperty("p95") double p95,
      @JsonProperty("count") long count) {
    static Durations of(Timer timer) {
      Snapshot snapshot = timer.getSnapshot();
      return new Durations(
          millis(snapshot.getMedian()), millis(snapshot.get95thPercentile()), timer.getCount());
    }
  }

  public record Rate(
      @JsonProperty("count") long count, @JsonProperty("per_second_1m") double perSecond1m) {}

  static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }

  static double millis(double nanos) {
    return round(nanos / TimeUnit.MILLISECONDS.toNanos(1));
  }
}
