package io.tracetics.app;

import ch.vorburger.exec.ManagedProcessException;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.lifecycle.Managed;
import io.tracetics.queue.RedisConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Starts MariaDB and Redis in-process when the configuration names none, and points the
 * configuration at them. With servers configured it starts nothing.
 */
public final class EmbeddedServers implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

  private EmbeddedMariaDb mariaDb;
  private RedisServer redis;

  private EmbeddedServers() {}

  /** Starts whatever is not configured and rewrites the configuration to use it. */
  public static EmbeddedServers startMissing(TraceticsConfiguration config) {
    EmbeddedServers servers = new EmbeddedServers();
    try {
      servers.startDatabaseIfMissing(config);
      servers.startRedisIfMissing(config);
    } catch (RuntimeException e) {
      servers.stop();
      throw e;
    }
    return servers;
  }

  public boolean databaseEmbedded() {
    return mariaDb != null;
  }

  public boolean redisEmbedded() {
    return redis != null;
  }

  private void startDatabaseIfMissing(TraceticsConfiguration config) {
    DataSourceFactory database = config.getDatabase();
    if (!isEmbeddedMarker(database.getUrl())) {
      return;
    }
    EmbeddedConfig embedded = config.getEmbedded();
    Path home = config.getDataDir().resolve("mariadb").toAbsolutePath();
    LOG.info(
        "No database configured (TRACETICS_DB_URL): starting embedded MariaDB on 127.0.0.1:{}, data in {}",
        embedded.mariadbPort,
        home);
    try {
      mariaDb = EmbeddedMariaDb.start(home, embedded.mariadbPort, embedded.databaseName);
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("Embedded MariaDB did not start: " + e.getMessage(), e);
    }
    database.setUrl(
        "jdbc:mariadb://127.0.0.1:"
            + embedded.mariadbPort
            + "/"
            + embedded.databaseName
            + "?sslMode=disable");
    database.setUser("root");
    database.setPassword("");
  }

  /** The database URL that means "no server configured": empty or the word {@code embedded}. */
  public static final String EMBEDDED = "embedded";

  static boolean isEmbeddedMarker(String url) {
    return url == null || url.isBlank() || EMBEDDED.equalsIgnoreCase(url.strip());
  }

  private void startRedisIfMissing(TraceticsConfiguration config) {
    RedisConfig redisConfig = config.getRedis();
    if (redisConfig.isConfigured()) {
      return;
    }
    int port = config.getEmbedded().redisPort;
    Path dir = config.getDataDir().resolve("redis").toAbsolutePath();
    try {
      Files.createDirectories(dir);
      LOG.info(
          "No Redis configured (TRACETICS_REDIS_URL): starting embedded Redis on 127.0.0.1:{}",
          port);
      redis =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("dir " + dir)
              .setting("appendonly yes")
              .setting("save \"\"")
              .build();
      redis.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Embedded Redis did not start", e);
    }
    redisConfig.url = "redis://127.0.0.1:" + port;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    if (redis != null) {
      try {
        redis.stop();
      } catch (IOException e) {
        LOG.warn("Embedded Redis did not stop cleanly", e);
      }
      redis = null;
    }
    if (mariaDb != null) {
      try {
        mariaDb.stop();
      } catch (ManagedProcessException e) {
        LOG.warn("Embedded MariaDB did not stop cleanly", e);
      }
      mariaDb = null;
    }
  }
}
