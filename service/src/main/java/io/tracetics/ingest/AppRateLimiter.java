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
 * the sustained rate holds for batches too. With several nodes the limit applies per node.
 */
public final class AppRateLimiter {
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
    Bucket bucket = buckets.get(app.value(), id -> new Bucket(burst, nanoTime.getAsLong()));
    synchronized (bucket) {
      long now = nanoTime.getAsLong();
      bucket.tokens =
          Math.min(burst, bucket.tokens + (now - bucket.lastNanos) / 1e9 * ratePerSecond);
      bucket.lastNanos = now;
      double need = Math.min(events, burst);
      if (bucket.tokens >= need) {
        bucket.tokens -= events;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((need - bucket.tokens) / ratePerSecond));
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
