package io.tracetics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real service as a separate JVM (same classpath as the caller), on the {@link TestServers}
 * MariaDB and Redis (or a database and Redis of the caller's choice), with its own data directory
 * and DuckDB file. Used by the integration tests, the benchmarks and the SDK's tests. {@link
 * #kill()} is SIGKILL; {@link #stop} is a graceful shutdown (SIGTERM, Dropwizard stops its managed
 * objects).
 */
public final class ServiceProcess implements AutoCloseable {
  private final Options options;
  private final Process process;
  private final int port;
  private final int adminPort;
  private final Path log;
  private final Path config;
  // Its own connection pool: once this process is killed, no other test reuses its connections.
  private final HttpClient client = Http.newClient();

  private ServiceProcess(
      Options options, Process process, int port, int adminPort, Path log, Path config) {
    this.options = options;
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
    this.log = log;
    this.config = config;
  }

  /**
   * What to start: a node name, its data directory, clustered or not, extra config, and for the
   * benchmarks and the SDK's tests its own database, JVM options, main class and log file.
   */
  public static final class Options {
    /** The test JVM's options: small and quick to start, for many short-lived services. */
    private static final List<String> TEST_JVM =
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final String nodeName;
    private final Path dataDir;
    private boolean clustered;
    private final Map<String, String> extra = new LinkedHashMap<>();
    private Path configFile;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String databaseUrl;
    private boolean freshDatabase;
    private String redisUrl;
    private boolean defaultSizing;
    private List<String> jvmArgs = TEST_JVM;
    private String mainClass = "io.tracetics.app.TraceticsApplication";
    private Path log;

    private Options(String nodeName, Path dataDir) {
      this.nodeName = nodeName;
      this.dataDir = dataDir;
    }

    public Options clustered(boolean value) {
      this.clustered = value;
      return this;
    }

    /**
     * Sets {@code section.key: value} in the generated YAML (one level deep, value written as is,
     * so quote strings that need it); with {@link #configFile}, a {@code -Ddw.section.key=value}
     * override instead.
     */
    public Options set(String sectionDotKey, String value) {
      extra.put(sectionDotKey, value);
      return this;
    }

    /**
     * Runs on this MariaDB database (a JDBC URL, root with an empty password), created if missing,
     * instead of the {@link TestServers} one.
     */
    public Options databaseUrl(String jdbcUrl) {
      this.databaseUrl = jdbcUrl;
      return this;
    }

    /** Drops the database and creates it again before the start: a run that begins empty. */
    public Options freshDatabase() {
      this.freshDatabase = true;
      return this;
    }

    /** Runs on this Redis instead of the {@link TestServers} one. */
    public Options redisUrl(String url) {
      this.redisUrl = url;
      return this;
    }

    /**
     * Leaves connection pools, DuckDB, the pipeline, Quartz and the Redis timeout at the
     * application's defaults and logs warnings only (the generated configuration is otherwise sized
     * for many small test services, with the service's INFO lines): for benchmarks, which measure
     * the service as it is configured by default.
     */
    public Options defaultSizing() {
      this.defaultSizing = true;
      return this;
    }

    /**
     * The service JVM's options (heap, GC, {@code -D...}), replacing the test ones ({@code
     * -Xmx256m}, serial GC, C1 only); the module opens the service needs are always added.
     */
    public Options jvmArgs(List<String> args) {
      this.jvmArgs = List.copyOf(args);
      return this;
    }

    /**
     * Starts this class (a subclass of TraceticsApplication on the classpath) instead of
     * TraceticsApplication.
     */
    public Options mainClass(String className) {
      this.mainClass = className;
      return this;
    }

    /**
     * Writes the service's output to this file instead of {@code
     * target/service-logs/<node>-<millis>.log}.
     */
    public Options log(Path file) {
      this.log = file;
      return this;
    }

    /**
     * Runs with this configuration file (e.g. the repository's config.yml) instead of a generated
     * one: the servers, ports, data directory, node name and operator token then come from the
     * {@code TRACETICS_*} environment variables that config.yml reads, set to this test's values.
     */
    public Options configFile(Path file) {
      this.configFile = file;
      return this;
    }

    /** An environment variable for the process (with {@link #configFile}: e.g. TRACETICS_*). */
    public Options env(String name, String value) {
      environment.put(name, value);
      return this;
    }

    public Path dataDir() {
      return dataDir;
    }

    public String nodeName() {
      return nodeName;
    }

    public Path duckDbFile() {
      return dataDir.resolve("analytics.duckdb");
    }

    public String databaseUrl() {
      return databaseUrl == null ? TestServers.get().jdbcUrl() : databaseUrl;
    }

    public String redisUrl() {
      return redisUrl == null ? TestServers.get().redisUrl() : redisUrl;
    }
  }

  public static Options options(String nodeName, Path dataDir) {
    return new Options(nodeName, dataDir);
  }

  /** Starts the service and waits (up to {@code timeout}) until its health check answers. */
  public static ServiceProcess start(Options options, Duration timeout) {
    try {
      Files.createDirectories(options.dataDir);
      if (options.databaseUrl != null || options.freshDatabase) {
        Databases.create(options.databaseUrl(), options.freshDatabase);
      }
      int port = TestServers.freePort();
      int adminPort = TestServers.freePort();
      Path config;
      if (options.configFile == null) {
        config = options.dataDir.resolve("config-" + options.nodeName + ".yml");
        Files.writeString(config, yaml(options, port, adminPort), StandardCharsets.UTF_8);
      } else {
        config = options.configFile;
      }
      Path log = options.log == null ? defaultLog(options.nodeName) : options.log;
      Files.createDirectories(log.toAbsolutePath().getParent());
      List<String> command = javaCommand(options);
      if (options.configFile != null) {
        // Test-sized: the shared test database's history is not this node's business.
        command.add("-Ddw.duckdb.threads=1");
        command.add("-Ddw.duckdb.memoryLimit=256MB");
        command.add("-Ddw.pipeline.startAt=latest");
        command.add("-Ddw.database.minSize=1");
        command.add("-Ddw.database.initialSize=1");
        command.add("-Ddw.database.maxSize=8");
        options.extra.forEach((key, value) -> command.add("-Ddw." + key + "=" + value));
      }
      command.add(options.mainClass);
      command.add("server");
      command.add(config.toAbsolutePath().toString());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // The config names every server explicitly; keep the environment from overriding it.
      builder.environment().keySet().removeIf(name -> name.startsWith("TRACETICS_"));
      if (options.configFile != null) {
        Map<String, String> env = builder.environment();
        env.put("TRACETICS_DB_URL", options.databaseUrl());
        env.put("TRACETICS_DB_USER", "root");
        env.put("TRACETICS_DB_PASSWORD", "");
        env.put("TRACETICS_REDIS_URL", options.redisUrl());
        env.put("TRACETICS_OPERATOR_TOKEN", TestApp.OPERATOR_TOKEN);
        env.put("TRACETICS_DATA_DIR", options.dataDir.toAbsolutePath().toString());
        env.put("TRACETICS_PORT", Integer.toString(port));
        env.put("TRACETICS_ADMIN_PORT", Integer.toString(adminPort));
        env.put("TRACETICS_NODE_NAME", options.nodeName);
      }
      builder.environment().putAll(options.environment);
      Process process = builder.start();
      // A caller that exits without closing it (a benchmark's main failing) leaves no server
      // behind.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      ServiceProcess service =
          new ServiceProcess(options, process, port, adminPort, log.toAbsolutePath(), config);
      service.awaitHealthy(timeout);
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path defaultLog(String nodeName) {
    return Path.of("target", "service-logs")
        .resolve(nodeName + "-" + System.currentTimeMillis() + ".log")
        .toAbsolutePath();
  }

  /** {@code java <options> -cp <this classpath>}, the main class still to add. */
  private static List<String> javaCommand(Options options) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.jvmArgs);
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }

  /**
   * Runs another command of the service (such as {@code import}) with this service's main class,
   * JVM options and configuration, as a separate JVM; its output. Fails unless it exits with 0.
   */
  public String runCommand(String command, List<String> args) {
    if (options.configFile != null) {
      throw new IllegalStateException("runCommand needs a generated configuration");
    }
    List<String> line = javaCommand(options);
    line.add(options.mainClass);
    line.add(command);
    line.addAll(args);
    line.add(config.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("TRACETICS_"));
    try {
      Process child = builder.start();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (child.waitFor() != 0) {
        throw new IllegalStateException(command + " " + args + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String yaml(Options o, int port, int adminPort) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    o.extra.forEach(
        (key, value) -> {
          int dot = key.indexOf('.');
          sections
              .computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>())
              .put(key.substring(dot + 1), value);
        });
    StringBuilder y = new StringBuilder();
    y.append("dataDir: ").append(quote(o.dataDir.toAbsolutePath().toString())).append('\n');
    Map<String, String> database = new LinkedHashMap<>();
    database.put("driverClass", "org.mariadb.jdbc.Driver");
    database.put("url", quote(o.databaseUrl()));
    database.put("user", "root");
    database.put("password", "\"\"");
    if (!o.defaultSizing) {
      database.put("minSize", "1");
      database.put("initialSize", "1");
      database.put("maxSize", "8");
    }
    database.put("maxWaitForConnection", "2s");
    section(y, "database", sections, database);
    y.append("  properties:\n    connectionTimeZone: UTC\n");
    Map<String, String> redis = new LinkedHashMap<>();
    redis.put("url", quote(o.redisUrl()));
    if (!o.defaultSizing) {
      redis.put("timeout", "1s");
    }
    section(y, "redis", sections, redis);
    section(y, "embedded", sections, Map.of("createDemoTenant", "false"));
    section(y, "tenancy", sections, Map.of("operatorToken", quote(TestApp.OPERATOR_TOKEN)));
    Map<String, String> duckdb = new LinkedHashMap<>();
    duckdb.put("file", quote(o.duckDbFile().toAbsolutePath().toString()));
    if (!o.defaultSizing) {
      duckdb.put("memoryLimit", "256MB");
      duckdb.put("threads", "1");
    }
    section(y, "duckdb", sections, duckdb);
    Map<String, String> pipeline = new LinkedHashMap<>();
    if (!o.defaultSizing) {
      pipeline.put("loadInterval", "250ms");
      pipeline.put("noticeWait", "100ms");
      pipeline.put("retryInitialBackoff", "100ms");
      pipeline.put("retryMaxBackoff", "1s");
    }
    pipeline.put("nodeName", quote(o.nodeName));
    section(y, "pipeline", sections, pipeline);
    Map<String, String> quartz = new LinkedHashMap<>();
    quartz.put("clustered", Boolean.toString(o.clustered));
    if (!o.defaultSizing) {
      quartz.put("threads", "2");
    }
    section(y, "quartz", sections, quartz);
    sections.forEach((name, rest) -> section(y, name, new LinkedHashMap<>(), rest));
    y.append(
        """
        server:
          applicationConnectors:
            - type: http
              bindHost: 127.0.0.1
              port: %d
          adminConnectors:
            - type: http
              bindHost: 127.0.0.1
              port: %d
          requestLog:
            appenders: []
        logging:
          level: WARN
        %s  appenders:
            - type: console
        """
            .formatted(
                port,
                adminPort,
                // Benchmarks log warnings only; tests also keep the service's own INFO lines.
                o.defaultSizing
                    ? ""
                    : "  loggers:\n    io.tracetics: INFO\n    org.quartz: INFO\n"));
    return y.toString();
  }

  /** Writes one section: defaults overridden by (and removed from) {@code overrides}. */
  private static void section(
      StringBuilder y,
      String name,
      Map<String, Map<String, String>> overrides,
      Map<String, String> defaults) {
    Map<String, String> values = new LinkedHashMap<>(defaults);
    Map<String, String> extra = overrides.remove(name);
    if (extra != null) {
      values.putAll(extra);
    }
    y.append(name).append(":\n");
    values.forEach((k, v) -> y.append("  ").append(k).append(": ").append(v).append('\n'));
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Service "
                + options.nodeName
                + " exited with "
                + process.exitValue()
                + "; log: "
                + tail());
      }
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(100);
    }
    kill();
    throw new IllegalStateException(
        "Service "
            + options.nodeName
            + " not healthy within "
            + timeout
            + " ("
            + last
            + "); log: "
            + tail());
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public Options options() {
    return options;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Http http() {
    return new Http(port, client);
  }

  /** The JDBC URL of the database it runs on. */
  public String databaseUrl() {
    return options.databaseUrl();
  }

  /** {@code GET /api/v1/pipeline} with the operator token. */
  public JsonNode pipelineStatus() {
    Http.Response response = http().get("/api/v1/pipeline").bearer(TestApp.OPERATOR_TOKEN).send();
    if (response.status() != 200) {
      throw new IllegalStateException("pipeline status: " + response);
    }
    return response.json();
  }

  /** Sends SIGTERM (graceful shutdown) without waiting; see {@link #stop}. */
  public void requestStop() {
    process.destroy();
  }

  /** Waits up to {@code timeout} for the process to exit; its exit value, or -1 if it has not. */
  public int awaitExitValue(Duration timeout) {
    return awaitExit(timeout) ? process.exitValue() : -1;
  }

  /** {@code GET path} on the admin port. */
  public Http.Response admin(String path) {
    return new Http(adminPort, client).get(path).send();
  }

  /** SIGKILL: no shutdown hooks, no managed stop, nothing flushed. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  /**
   * Graceful stop (SIGTERM: Dropwizard stops its managed objects in its shutdown hook); SIGKILL if
   * it has not exited within {@code timeout}. Returns the exit value, 143 after a normal SIGTERM.
   */
  public int stop(Duration timeout) {
    process.destroy();
    if (!awaitExit(timeout)) {
      kill();
      throw new IllegalStateException(
          "Service " + options.nodeName + " did not stop within " + timeout + "; log: " + tail());
    }
    return process.exitValue();
  }

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The last lines of the log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return log
          + "\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return log + " (unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
