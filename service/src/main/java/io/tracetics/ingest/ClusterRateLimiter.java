package io.tracetics.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tracetics.ids.AppId;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-app rate limit across the cluster: every node takes its apps' tokens from one shared
 * bucket per app ({@link SharedBuckets}, Redis), so N nodes together admit the configured limit,
 * not N times it.
 *
 * <p>No Redis round trip per event, and most requests none at all: a node takes a request's tokens
 * plus a small lease ({@link RateLimitRules#leaseSize}) in one exchange and admits the next
 * requests from the lease locally; a lease unspent after a second is dropped (those tokens are lost
 * to the cluster, so it admits at most a lease per node per second less than the limit, never
 * more). A node also remembers what the shared bucket held at its last exchange: a request that the
 * bucket could not hold even refilled since then is refused without asking Redis.
 *
 * <p>When Redis fails, the node falls back to the per-node limit ({@code fallback}: the configured
 * limit divided by the expected number of nodes) for {@code retryInterval}, then tries Redis again;
 * the gauge {@code io.tracetics.ingest.rateLimit.degraded} is 1 meanwhile.
 */
public final class ClusterRateLimiter implements IngestRateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterRateLimiter.class);
  private static final String PREFIX = IngestMetrics.PREFIX + "rateLimit.";
  private static final long LEASE_TTL_NANOS = Duration.ofSeconds(1).toNanos();

  private final SharedBuckets shared;
  private final IngestRateLimiter fallback;
  private final double ratePerSecond;
  private final double burst;
  private final long lease;
  private final long retryIntervalNanos;
  private final LongSupplier nanoTime;
  private final Counter exchanges;
  private final Counter localRefusals;
  private final Counter degradedRequests;
  private final Counter redisFailures;
  private final Cache<Long, AppState> apps =
      Caffeine.newBuilder()
          .expireAfterAccess(Duration.ofMinutes(10))
          .maximumSize(1_000_000)
          .build();
  private volatile boolean degraded;
  private volatile long retryAt;

  public ClusterRateLimiter(
      SharedBuckets shared,
      IngestRateLimiter fallback,
      double ratePerSecond,
      double burst,
      long configuredLease,
      Duration retryInterval,
      LongSupplier nanoTime,
      MetricRegistry metrics) {
    this.shared = shared;
    this.fallback = fallback;
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.lease = RateLimitRules.leaseSize(configuredLease, burst);
    this.retryIntervalNanos = retryInterval.toNanos();
    this.nanoTime = nanoTime;
    this.exchanges = metrics.counter(PREFIX + "sharedExchanges");
    this.localRefusals = metrics.counter(PREFIX + "localRefusals");
    this.degradedRequests = metrics.counter(PREFIX + "degradedRequests");
    this.redisFailures = metrics.counter(PREFIX + "redisFailures");
    metrics.gauge(PREFIX + "degraded", () -> () -> degraded ? 1 : 0);
  }

  /** True while this node enforces the per-node limit because Redis failed. */
  public boolean degraded() {
    return degraded;
  }

  /** What this node knows of one app's shared bucket. */
  private static final class AppState {
    long leased;
    long leasedAt;
    boolean known;
    double sharedRemaining;
    long exchangedAt;
  }

  @Override
  public RateLimitDecision acquire(AppId app, int events) {
    if (degraded && nanoTime.getAsLong() - retryAt < 0) {
      degradedRequests.inc();
      return fallback.acquire(app, events);
    }
    AppState state = apps.get(app.value(), id -> new AppState());
    try {
      synchronized (state) {
        RateLimitDecision decision = acquire(app, events, state, nanoTime.getAsLong());
        if (degraded) {
          degraded = false;
          LOG.info("Redis answers again: the ingest rate limit is cluster-wide again");
        }
        return decision;
      }
    } catch (RuntimeException e) {
      redisFailures.inc();
      if (!degraded) {
        LOG.warn(
            "Redis failed ({}): the ingest rate limit is per node until it answers again",
            e.toString());
      }
      degraded = true;
      retryAt = nanoTime.getAsLong() + retryIntervalNanos;
      degradedRequests.inc();
      return fallback.acquire(app, events);
    }
  }

  private RateLimitDecision acquire(AppId app, int events, AppState state, long now) {
    if (now - state.leasedAt > LEASE_TTL_NANOS) {
      state.leased = 0;
    }
    if (state.leased >= events) {
      state.leased -= events;
      return new RateLimitDecision(0, status(state, now));
    }
    long required = RateLimitRules.required(events, burst) - state.leased;
    if (state.known) {
      double atMost =
          RateLimitRules.refilled(
              state.sharedRemaining, now - state.exchangedAt, ratePerSecond, burst);
      if (atMost < required) {
        localRefusals.inc();
        return new RateLimitDecision(
            RateLimitRules.waitSeconds(required - atMost, ratePerSecond), status(state, now));
      }
    }
    long need = events - state.leased;
    SharedBuckets.Taken taken;
    long keep;
    if (required < need) {
      // A batch above the burst: the burst must be there; the rest goes into debt.
      taken = exchange(app, required, state, now);
      if (taken.consumed()) {
        shared.takeIntoDebt(app, need - required);
        exchanges.inc();
        state.sharedRemaining -= need - required;
      }
      keep = 0;
    } else {
      taken = exchange(app, need + lease, state, now);
      keep = lease;
      if (!taken.consumed() && lease > 0 && taken.remaining() >= need) {
        taken = exchange(app, need, state, now);
        keep = 0;
      }
    }
    if (!taken.consumed()) {
      return new RateLimitDecision(
          RateLimitRules.waitSeconds(required - taken.remaining(), ratePerSecond),
          status(state, now));
    }
    state.leased = keep;
    state.leasedAt = now;
    return new RateLimitDecision(0, status(state, now));
  }

  private SharedBuckets.Taken exchange(AppId app, long tokens, AppState state, long now) {
    exchanges.inc();
    SharedBuckets.Taken taken = shared.tryTake(app, tokens);
    state.known = true;
    state.sharedRemaining = taken.remaining();
    state.exchangedAt = now;
    return taken;
  }

  /**
   * The cluster's tokens as this node saw them at its last exchange, refilled since, plus its
   * lease.
   */
  private RateLimitStatus status(AppState state, long now) {
    double shared =
        state.known
            ? RateLimitRules.refilled(
                state.sharedRemaining, now - state.exchangedAt, ratePerSecond, burst)
            : burst;
    return RateLimitStatus.of(burst, ratePerSecond, shared + state.leased);
  }
}
