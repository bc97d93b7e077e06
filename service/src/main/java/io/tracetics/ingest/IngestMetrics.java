package io.tracetics.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.function.IntSupplier;

/**
 * Ingest metrics, all named {@code io.tracetics.ingest.*} (the pipeline status endpoint reads
 * them): events accepted (newly stored), duplicates (already stored, answered 200), rejected
 * (invalid), quota-rejected and rate-limited; the group commits' sizes, durations and failures; the
 * queue depth; and Redis notices published and failed.
 */
public final class IngestMetrics {
  public static final String PREFIX = "io.tracetics.ingest.";

  final Counter accepted;
  final Counter duplicates;
  final Counter rejected;
  final Counter quotaRejected;
  final Counter rateLimited;
  final Histogram groupEvents;
  final Histogram groupRequests;
  final Timer commit;
  final Meter commitFailures;
  final Meter noticesPublished;
  final Meter noticeFailures;

  public IngestMetrics(MetricRegistry registry) {
    accepted = registry.counter(PREFIX + "events.accepted");
    duplicates = registry.counter(PREFIX + "events.duplicates");
    rejected = registry.counter(PREFIX + "events.rejected");
    quotaRejected = registry.counter(PREFIX + "events.quotaRejected");
    rateLimited = registry.counter(PREFIX + "requests.rateLimited");
    groupEvents = registry.histogram(PREFIX + "groupCommit.events");
    groupRequests = registry.histogram(PREFIX + "groupCommit.requests");
    commit = registry.timer(PREFIX + "groupCommit.commit");
    commitFailures = registry.meter(PREFIX + "groupCommit.failures");
    noticesPublished = registry.meter(PREFIX + "notices.published");
    noticeFailures = registry.meter(PREFIX + "notices.failures");
  }

  /** The notice publisher (in io.tracetics.queue) reports through these. */
  public Meter noticesPublished() {
    return noticesPublished;
  }

  public Meter noticeFailures() {
    return noticeFailures;
  }

  void registerQueueDepth(MetricRegistry registry, IntSupplier events, IntSupplier requests) {
    registry.gauge(PREFIX + "queue.events", () -> events::getAsInt);
    registry.gauge(PREFIX + "queue.requests", () -> requests::getAsInt);
  }
}
