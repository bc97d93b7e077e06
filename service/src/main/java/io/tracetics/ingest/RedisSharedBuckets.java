package io.tracetics.ingest;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.tracetics.ids.AppId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * The apps' shared token buckets in Redis, kept by Bucket4j (each exchange is one compare-and-set
 * script on the app's key; an idle bucket's key expires once it would be full again). Keys: {@code
 * <prefix><app id>}.
 */
public final class RedisSharedBuckets implements SharedBuckets {
  private final ProxyManager<byte[]> buckets;
  private final Supplier<BucketConfiguration> configuration;
  private final String prefix;

  /**
   * Buckets of {@code burst} tokens refilled at {@code ratePerSecond} (rounded to whole tokens per
   * second, at least 1).
   */
  public RedisSharedBuckets(
      UnifiedJedis redis, String prefix, double ratePerSecond, double burst, Duration timeout) {
    this.prefix = prefix;
    this.buckets =
        Bucket4jJedis.casBasedBuilder(redis)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofSeconds(10)))
            .requestTimeout(timeout)
            .build();
    BucketConfiguration config =
        BucketConfiguration.builder()
            .addLimit(
                limit ->
                    limit
                        .capacity(Math.max(1, (long) Math.floor(burst)))
                        .refillGreedy(
                            Math.max(1, Math.round(ratePerSecond)), Duration.ofSeconds(1)))
            .build();
    this.configuration = () -> config;
  }

  private BucketProxy bucket(AppId app) {
    return buckets
        .builder()
        .build((prefix + app.value()).getBytes(StandardCharsets.UTF_8), configuration);
  }

  @Override
  public Taken tryTake(AppId app, long tokens) {
    ConsumptionProbe probe = bucket(app).tryConsumeAndReturnRemaining(tokens);
    return new Taken(probe.isConsumed(), probe.getRemainingTokens());
  }

  @Override
  public void takeIntoDebt(AppId app, long tokens) {
    bucket(app).consumeIgnoringRateLimits(tokens);
  }
}
