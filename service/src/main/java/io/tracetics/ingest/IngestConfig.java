package io.tracetics.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Event ingestion: the group-commit writer, per-app rate limit and the request limits. Validated at
 * startup. The per-app rate limit holds across the cluster (one shared bucket per app in Redis,
 * {@link ClusterRateLimiter}) unless {@link #rateLimitClusterWide} is off; while Redis is down each
 * node enforces the limit divided by {@link #rateLimitExpectedNodes}.
 */
public class IngestConfig {
  public static final int DEFAULT_MAX_EVENTS_PER_TRANSACTION = 5_000;
  public static final int DEFAULT_MAX_QUEUED_EVENTS = 50_000;
  public static final int DEFAULT_WRITER_THREADS = 4;
  public static final double DEFAULT_RATE_LIMIT_EVENTS_PER_SECOND = 10_000;
  public static final double DEFAULT_RATE_LIMIT_BURST = 20_000;
  public static final long DEFAULT_NOTICE_STREAM_MAX_LEN = 100_000;

  /** Most events one group commit (one MariaDB transaction) takes from the queue. */
  @JsonProperty
  @Min(1)
  @Max(100_000)
  public int maxEventsPerTransaction = DEFAULT_MAX_EVENTS_PER_TRANSACTION;

  /** Events waiting for a commit; beyond this a request is refused with 503 ingest_overloaded. */
  @JsonProperty
  @Min(1)
  public int maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;

  /**
   * Threads committing groups in parallel (each holds one database connection). Each tenant's
   * requests go to one of them (tenant id modulo this count): a tenant's transactions serialise on
   * its usage row anyway, so this way they share commits instead of waiting on each other's lock.
   */
  @JsonProperty
  @Min(1)
  @Max(16)
  public int writerThreads = DEFAULT_WRITER_THREADS;

  /**
   * How long a writer under heavy load waits, once a request is queued, for more to join its group
   * before committing (like PostgreSQL's commit_delay, or MariaDB's binlog_commit_wait_usec).
   * Larger groups cost the database fewer statements and commits per event: with 256 clients
   * sending single events, 2 ms cut MariaDB's CPU per event from about 30 to 18 us and raised
   * throughput by about 15%. It applies only when the writer's last group held at least {@link
   * #commitSiblings} requests, so a lightly loaded writer commits at once. 0 turns it off.
   */
  @JsonProperty @NotNull public Duration commitDelay = Duration.milliseconds(2);

  /**
   * Requests the writer's last group must have held for it to wait {@link #commitDelay} (like
   * PostgreSQL's commit_siblings): with fewer clients waiting, each would pay the delay on every
   * round trip for little gain.
   */
  @JsonProperty
  @Min(2)
  public int commitSiblings = 32;

  /**
   * Longest a request waits for its commit; past it the request gets 503 database_unavailable (its
   * events may or may not have been stored: a retry with the same event_id is safe).
   */
  @JsonProperty @NotNull public Duration requestTimeout = Duration.seconds(10);

  /**
   * Socket timeout for the writer's database connection and lock wait bound: a database that hangs
   * fails the waiting requests after this long.
   */
  @JsonProperty @NotNull public Duration databaseTimeout = Duration.seconds(5);

  /** After a database failure, new requests are refused at once (503) for this long. */
  @JsonProperty @NotNull public Duration databaseRetryAfter = Duration.seconds(2);

  /**
   * Sustained events per second each app may send (token bucket refill rate; across the cluster,
   * rounded to whole events per second there).
   */
  @JsonProperty
  @Min(1)
  public double rateLimitEventsPerSecond = DEFAULT_RATE_LIMIT_EVENTS_PER_SECOND;

  /** Token bucket size: events an app may send at once after a quiet period. */
  @JsonProperty
  @Min(1)
  public double rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;

  /**
   * One bucket per app shared by every node (in Redis), so the limit holds for the cluster; off:
   * each node has its own bucket and N nodes admit up to N times the limit.
   */
  @JsonProperty public boolean rateLimitClusterWide = true;

  /**
   * Events a node takes from an app's shared bucket beyond a request's own, to admit the next
   * requests without asking Redis (at most a twentieth of the burst; unspent after a second, they
   * are dropped). Larger: fewer Redis round trips, more admitted below the limit when many nodes
   * share an app's traffic.
   */
  @JsonProperty
  @Min(0)
  public long rateLimitLeaseEvents = 100;

  /**
   * The nodes the cluster expects to run: while Redis is down each node enforces the rate and burst
   * divided by this, so the cluster stays near the limit (1: each node the whole limit).
   */
  @JsonProperty
  @Min(1)
  @Max(1000)
  public int rateLimitExpectedNodes = 1;

  /** After Redis fails, how long a node keeps the per-node limit before asking Redis again. */
  @JsonProperty @NotNull public Duration rateLimitRedisRetry = Duration.seconds(5);

  /** Prefix of the shared buckets' Redis keys (followed by the app id). */
  @JsonProperty @NotNull public String rateLimitKeyPrefix = "tracetics:ratelimit:app:";

  /** Redis stream that receives one notice per committed group (approximately trimmed). */
  @JsonProperty @NotNull public String noticeStream = "tracetics:ingest-notices";

  @JsonProperty
  @Min(1)
  public long noticeStreamMaxLen = DEFAULT_NOTICE_STREAM_MAX_LEN;
}
