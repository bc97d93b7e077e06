package io.tracetics.sharing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket per share link, on this node only, for the reports a viewer computes by changing
 * parameters: {@code perMinute} sustained, {@code burst} at once. The saved report (served from the
 * cache) is not limited here.
 */
public final class ShareRateLimiter {
  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Cache<Long, Bucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

  public ShareRateLimiter(int perMinute, int burst, LongSupplier nanoTime) {
    this.perSecond = perMinute / 60.0;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** 0 when one more report may be computed now, else the whole seconds until one may. */
  public long tryAcquire(long shareId) {
    Bucket bucket = buckets.get(shareId, id -> new Bucket(burst, nanoTime.getAsLong()));
    synchronized (bucket) {
      long now = nanoTime.getAsLong();
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.lastNanos) / 1e9 * perSecond);
      bucket.lastNanos = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
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
