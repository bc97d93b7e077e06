package io.tracetics.health;

import com.codahale.metrics.health.HealthCheck;
import redis.clients.jedis.RedisClient;

/**
 * Redis answers PING. Ingest keeps working without Redis (the loader falls back to scanning
 * MariaDB), so an unhealthy Redis degrades freshness, not durability.
 */
public class RedisHealthCheck extends HealthCheck {
  private final RedisClient redis;

  public RedisHealthCheck(RedisClient redis) {
    this.redis = redis;
  }

  @Override
  protected Result check() {
    try {
      String pong = redis.ping();
      return "PONG".equals(pong) ? Result.healthy() : Result.unhealthy("PING answered " + pong);
    } catch (RuntimeException e) {
      return Result.unhealthy("Redis unreachable: " + e.getClass().getSimpleName());
    }
  }
}
