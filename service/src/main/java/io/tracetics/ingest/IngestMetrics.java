package io.tracetics.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Ingest metrics, all named {@code io.tracetics.ingest.*} (and read by the pipeline status as a
 * {@link Status}): events accepted (newly stored), duplicates (already stored, answered 200),
 * rejected (invalid), quota-rejected and rate-limited; the group commits' sizes, durations and
 * failures; the queue depth; and Redis notices published and failed.
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
  private volatile IntSupplier queuedEvents = () -> 0;
  private volatile IntSupplier queuedRequests = () -> 0;

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
    queuedEvents = events;
    queuedRequests = requests;
    registry.gauge(PREFIX + "queue.events", () -> events::getAsInt);
    registry.gauge(PREFIX + "queue.requests", () -> requests::getAsInt);
  }

  /** Ingest as the operator's pipeline status shows it. */
  public record Status(
      @JsonProperty("events") Events events,
      @JsonProperty("rate_limited_requests") long rateLimitedRequests,
      @JsonProperty("group_commits") GroupCommits groupCommits,
      @JsonProperty("queue") Queue queue,
      @JsonProperty("notices") Notices notices) {}

  /** Events since start: newly stored, already stored, invalid, over the monthly quota. */
  public record Events(
      @JsonProperty("accepted") long accepted,
      @JsonProperty("duplicates") long duplicates,
      @JsonProperty("rejected") long rejected,
      @JsonProperty("quota_rejected") long quotaRejected) {}

  public record GroupCommits(
      @JsonProperty("count") long count,
      @JsonProperty("per_second_1m") double perSecond1m,
      @JsonProperty("duration_ms_p50") double durationMsP50,
      @JsonProperty("duration_ms_p95") double durationMsP95,
      @JsonProperty("events_p50") double eventsP50,
      @JsonProperty("requests_p50") double requestsP50,
      @JsonProperty("failures") long failures) {}

  /** Waiting for a writer now. */
  public record Queue(@JsonProperty("events") int events, @JsonProperty("requests") int requests) {}

  /** Work notices on the Redis stream. */
  public record Notices(
      @JsonProperty("published") long published, @JsonProperty("failures") long failures) {}

  public Status status() {
    Snapshot durations = commit.getSnapshot();
    return new Status(
        new Events(
            accepted.getCount(),
            duplicates.getCount(),
            rejected.getCount(),
            quotaRejected.getCount()),
        rateLimited.getCount(),
        new GroupCommits(
            commit.getCount(),
            round(commit.getOneMinuteRate()),
            round(durations.getMedian() / TimeUnit.MILLISECONDS.toNanos(1)),
            round(durations.get95thPercentile() / TimeUnit.MILLISECONDS.toNanos(1)),
            round(groupEvents.getSnapshot().getMedian()),
            round(groupRequests.getSnapshot().getMedian()),
            commitFailures.getCount()),
        new Queue(queuedEvents.getAsInt(), queuedRequests.getAsInt()),
        new Notices(noticesPublished.getCount(), noticeFailures.getCount()));
  }

  private static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }
}
