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
 * The real service as a separate JVM (same classpath as the tests), on the {@link TestServers}
 * MariaDB and Redis, with its own data directory and DuckDB file. {@link #kill()} is SIGKILL;
 * {@link #stop()} is a graceful shutdown (SIGTERM, Dropwizard stops its managed objects).
 */
public final class ServiceProcess implements AutoCloseable {
  private final Options options;
  private final Process process;
  private final int port;
  private final int adminPort;
  private final Path log;
  // Its own connection pool: once this process is killed, no other test reuses its connections.
  private final HttpClient client = Http.newClient();

  private ServiceProcess(Options options, Process process, int port, int adminPort, Path log) {
    this.options = options;
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
    this.log = log;
  }

  /** What to start: a node name, its data directory, clustered or not, extra config. */
  public static final class Options {
    private final String nodeName;
    private final Path dataDir;
    private boolean clustered;
    private final Map<String, String> extra = new LinkedHashMap<>();
    private Path configFile;
    private final Map<String, String> environment = new LinkedHashMap<>();

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
     * so quote strings that need it).
     */
    public Options set(String sectionDotKey, String value) {
      extra.put(sectionDotKey, value);
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
  }

  public static Options options(String nodeName, Path dataDir) {
    return new Options(nodeName, dataDir);
  }

  /** Starts the service and waits (up to {@code timeout}) until its health check answers. */
  public static ServiceProcess start(Options options, Duration timeout) {
    try {
      Files.createDirectories(options.dataDir);
      int port = TestServers.freePort();
      int adminPort = TestServers.freePort();
      Path config;
      if (options.configFile == null) {
        config = options.dataDir.resolve("config-" + options.nodeName + ".yml");
        Files.writeString(config, yaml(options, port, adminPort), StandardCharsets.UTF_8);
      } else {
        config = options.configFile;
      }
      Path logDir = Path.of("target", "service-logs");
      Files.createDirectories(logDir);
      Path log =
          logDir
              .resolve(options.nodeName + "-" + System.currentTimeMillis() + ".log")
              .toAbsolutePath();
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("-XX:+UseSerialGC");
      command.add("-XX:TieredStopAtLevel=1");
      command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
      command.add("--enable-native-access=ALL-UNNAMED");
      if (options.configFile != null) {
        // Test-sized: the shared test database's history is not this node's business.
        command.add("-Ddw.duckdb.threads=1");
        command.add("-Ddw.duckdb.memoryLimit=256MB");
        command.add("-Ddw.pipeline.startAt=latest");
        command.add("-Ddw.database.minSize=1");
        command.add("-Ddw.database.initialSize=1");
        command.add("-Ddw.database.maxSize=8");
      }
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("io.tracetics.app.TraceticsApplication");
      command.add("server");
      command.add(config.toAbsolutePath().toString());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // The config names every server explicitly; keep the environment from overriding it.
      builder.environment().keySet().removeIf(name -> name.startsWith("TRACETICS_"));
      if (options.configFile != null) {
        Map<String, String> env = builder.environment();
        env.put("TRACETICS_DB_URL", TestServers.get().jdbcUrl());
        env.put("TRACETICS_DB_USER", "root");
        env.put("TRACETICS_DB_PASSWORD", "");
        env.put("TRACETICS_REDIS_URL", TestServers.get().redisUrl());
        env.put("TRACETICS_OPERATOR_TOKEN", TestApp.OPERATOR_TOKEN);
        env.put("TRACETICS_DATA_DIR", options.dataDir.toAbsolutePath().toString());
        env.put("TRACETICS_PORT", Integer.toString(port));
        env.put("TRACETICS_ADMIN_PORT", Integer.toString(adminPort));
        env.put("TRACETICS_NODE_NAME", options.nodeName);
      }
      builder.environment().putAll(options.environment);
      ServiceProcess service = new ServiceProcess(options, builder.start(), port, adminPort, log);
      service.awaitHealthy(timeout);
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
    section(
        y,
        "database",
        sections,
        Map.of(
            "driverClass", "org.mariadb.jdbc.Driver",
            "url", quote(TestServers.get().jdbcUrl()),
            "user", "root",
            "password", "\"\"",
            "minSize", "1",
            "initialSize", "1",
            "maxSize", "8",
            "maxWaitForConnection", "2s"));
    y.append("  properties:\n    connectionTimeZone: UTC\n");
    section(
        y, "redis", sections, Map.of("url", quote(TestServers.get().redisUrl()), "timeout", "1s"));
    section(y, "embedded", sections, Map.of("createDemoTenant", "false"));
    section(y, "tenancy", sections, Map.of("operatorToken", quote(TestApp.OPERATOR_TOKEN)));
    section(
        y,
        "duckdb",
        sections,
        Map.of(
            "file", quote(o.duckDbFile().toAbsolutePath().toString()),
            "memoryLimit", "256MB",
            "threads", "1"));
    section(
        y,
        "pipeline",
        sections,
        Map.of(
            "loadInterval", "250ms",
            "noticeWait", "100ms",
            "retryInitialBackoff", "100ms",
            "retryMaxBackoff", "1s",
            "nodeName", quote(o.nodeName)));
    section(
        y, "quartz", sections, Map.of("clustered", Boolean.toString(o.clustered), "threads", "2"));
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
          loggers:
            io.tracetics: INFO
            org.quartz: INFO
          appenders:
            - type: console
        """
            .formatted(port, adminPort));
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
