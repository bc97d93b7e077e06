package io.tracetics.app;

import ch.vorburger.exec.ManagedProcessException;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.lifecycle.Managed;
import io.tracetics.queue.RedisConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.embedded.RedisServer;

/**
 * Starts MariaDB and Redis in-process when the configuration names none, and points the
 * configuration at them. With servers configured it starts nothing. When the embedded servers of
 * the same data directory are already running (the server is up and this process is a command such
 * as {@code import}), it uses them and leaves them running.
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
    Optional<String> running = runningMariaDbDataDir(embedded.mariadbPort);
    if (running.isPresent()) {
      // Another Tracetics process (the server, while this is `import` or `db migrate`) started
      // the embedded MariaDB of this data directory: use it, and leave it running afterwards.
      if (!samePath(Path.of(running.get()), home.resolve("data"))) {
        throw new IllegalStateException(
            "Port "
                + embedded.mariadbPort
                + " already has a MariaDB with its data in "
                + running.get()
                + ", not this data directory's ("
                + home.resolve("data")
                + "): set TRACETICS_DB_URL to use a server, or another embedded.mariadbPort");
      }
      LOG.info(
          "Using the embedded MariaDB already running on 127.0.0.1:{} for {}",
          embedded.mariadbPort,
          home);
    } else {
      startEmbeddedMariaDb(home, embedded);
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

  private void startEmbeddedMariaDb(Path home, EmbeddedConfig embedded) {
    LOG.info(
        "No database configured (TRACETICS_DB_URL): starting embedded MariaDB on 127.0.0.1:{}, data in {}",
        embedded.mariadbPort,
        home);
    try {
      mariaDb = EmbeddedMariaDb.start(home, embedded.mariadbPort, embedded.databaseName);
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("Embedded MariaDB did not start: " + e.getMessage(), e);
    }
  }

  /** The data directory of a MariaDB answering on 127.0.0.1:{@code port} as root, if any. */
  private static Optional<String> runningMariaDbDataDir(int port) {
    String url = "jdbc:mariadb://127.0.0.1:" + port + "/?sslMode=disable&connectTimeout=2000";
    try (Connection connection = DriverManager.getConnection(url, "root", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT @@datadir")) {
      return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
    } catch (SQLException e) {
      return Optional.empty(); // nothing there (or not ours to use): start one
    }
  }

  private static boolean samePath(Path a, Path b) {
    try {
      return a.toRealPath().equals(b.toRealPath());
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
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
    Optional<String> running = runningRedisDir(port);
    if (running.isPresent()) {
      if (!samePath(Path.of(running.get()), dir)) {
        throw new IllegalStateException(
            "Port "
                + port
                + " already has a Redis keeping its data in "
                + running.get()
                + ", not "
                + dir
                + ": set TRACETICS_REDIS_URL to use a server, or another embedded.redisPort");
      }
      LOG.info("Using the embedded Redis already running on 127.0.0.1:{}", port);
      redisConfig.url = "redis://127.0.0.1:" + port;
      return;
    }
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

  /** The {@code dir} setting of a Redis answering on 127.0.0.1:{@code port}, if any. */
  private static Optional<String> runningRedisDir(int port) {
    DefaultJedisClientConfig client =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(2_000)
            .socketTimeoutMillis(2_000)
            .build();
    try (RedisClient redis =
        RedisClient.builder().hostAndPort("127.0.0.1", port).clientConfig(client).build()) {
      return Optional.ofNullable(redis.configGet("dir").get("dir"));
    } catch (JedisException e) {
      return Optional.empty();
    }
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
