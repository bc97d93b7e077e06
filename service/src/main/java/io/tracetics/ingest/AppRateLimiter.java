package io.tracetics.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tracetics.ids.AppId;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket per app, on this node only: {@code rate} events per second sustained, {@code
 * burst} at once. A request of n events is admitted when the bucket holds min(n, burst) tokens and
 * then takes n (a batch larger than the burst leaves the bucket in debt, paid back over time), so
 * the sustained rate holds for batches too. The limit applies per node: on its own when the
 * cluster-wide limit is off, and as {@link ClusterRateLimiter}'s fallback while Redis is down.
 */
public final class AppRateLimiter implements IngestRateLimiter {
  private final double ratePerSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Cache<Long, Bucket> buckets =
      Caffeine.newBuilder()
          .expireAfterAccess(Duration.ofMinutes(10))
          .maximumSize(1_000_000)
          .build();

  public AppRateLimiter(double ratePerSecond, double burst, LongSupplier nanoTime) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** 0 when admitted, else the whole seconds to wait before this request would be admitted. */
  public long tryAcquire(AppId app, int events) {
    return acquire(app, events).waitSeconds();
  }

  @Override
  public RateLimitDecision acquire(AppId app, int events) {
    Bucket bucket = buckets.get(app.value(), id -> new Bucket(burst, nanoTime.getAsLong()));
    synchronized (bucket) {
      long now = nanoTime.getAsLong();
      bucket.tokens =
          RateLimitRules.refilled(bucket.tokens, now - bucket.lastNanos, ratePerSecond, burst);
      bucket.lastNanos = now;
      double need = RateLimitRules.required(events, burst);
      if (bucket.tokens >= need) {
        bucket.tokens -= events;
        return new RateLimitDecision(0, RateLimitStatus.of(burst, ratePerSecond, bucket.tokens));
      }
      return new RateLimitDecision(
          RateLimitRules.waitSeconds(need - bucket.tokens, ratePerSecond),
          RateLimitStatus.of(burst, ratePerSecond, bucket.tokens));
    }
  }

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }
}
