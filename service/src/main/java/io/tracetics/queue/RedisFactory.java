package io.tracetics.queue;

import io.dropwizard.lifecycle.Managed;
import java.net.URI;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * Builds the pooled Redis client (Jedis 8 {@code RedisClient}; Jedis 8 has no {@code JedisPooled}).
 */
public final class RedisFactory {
  private RedisFactory() {}

  public static RedisClient build(RedisConfig config) {
    URI uri = config.uri();
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(config.maxConnections);
    pool.setMaxIdle(config.maxConnections);
    pool.setMinIdle(0);
    pool.setMaxWait(java.time.Duration.ofMillis(config.timeout.toMilliseconds()));
    int timeoutMillis = (int) config.timeout.toMilliseconds();
    DefaultJedisClientConfig.Builder client =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeoutMillis)
            .socketTimeoutMillis(timeoutMillis);
    if (uri.getUserInfo() != null && !uri.getUserInfo().isEmpty()) {
      String[] parts = uri.getUserInfo().split(":", 2);
      if (parts.length == 2) {
        if (!parts[0].isEmpty()) {
          client.user(parts[0]);
        }
        client.password(parts[1]);
      } else {
        client.password(parts[0]);
      }
    }
    int port = uri.getPort() > 0 ? uri.getPort() : 6379;
    return RedisClient.builder()
        .hostAndPort(uri.getHost(), port)
        .clientConfig(client.build())
        .poolConfig(pool)
        .build();
  }

  /** Closes the client's pool when the application stops. */
  public static Managed managed(RedisClient client) {
    return new Managed() {
      @Override
      public void stop() {
        client.close();
      }
    };
  }
}
