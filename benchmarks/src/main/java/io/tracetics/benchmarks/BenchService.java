package io.tracetics.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real service started as a separate JVM for a benchmark, with its own data directory and a
 * tenant on the business plan (so the monthly quota never stops a run).
 */
final class BenchService implements AutoCloseable {
  static final String OPERATOR_TOKEN = "bench-operator-token-0123456789";

  final int port;
  final int adminPort;
  final String dbUrl;
  final Path config;
  private final Process process;
  private final Path log;

  /** A tenant's keys and its app. */
  record TenantApp(String tenantKey, String managementToken, String appKey, long appId) {}

  private BenchService(
      int port, int adminPort, String dbUrl, Path config, Process process, Path log) {
    this.port = port;
    this.adminPort = adminPort;
    this.dbUrl = dbUrl;
    this.config = config;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the service on {@code dbUrl} (database created if missing) and {@code redisUrl}; {@code
   * extraYaml} is appended to the generated configuration (top-level blocks).
   */
  static BenchService start(String dbUrl, String redisUrl, String extraYaml) throws Exception {
    createDatabase(dbUrl);
    Path dir = Files.createTempDirectory("tracetics-bench");
    int port = freePort();
    int adminPort = freePort();
    Path config = dir.resolve("config.yml");
    Files.writeString(config, config(dir, dbUrl, redisUrl, port, adminPort) + extraYaml);
    Path log = dir.resolve("service.log");
    Process process =
        new ProcessBuilder(serviceCommand("server", List.of(), config))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    BenchService service = new BenchService(port, adminPort, dbUrl, config, process, log);
    service.waitUntilUp();
    return service;
  }

  /** {@code java ... TraceticsApplication <command> <args> <config>} on this classpath. */
  private static List<String> serviceCommand(String command, List<String> args, Path config) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    line.add("-Xmx1g");
    line.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    // Extra options for the service JVM, such as a profiler: -Dbench.serviceJvmArgs="-XX:+..."
    String extra = System.getProperty("bench.serviceJvmArgs", "").trim();
    if (!extra.isEmpty()) {
      line.addAll(List.of(extra.split("\\s+")));
    }
    line.add("-cp");
    line.add(System.getProperty("java.class.path"));
    line.add("io.tracetics.app.TraceticsApplication");
    line.add(command);
    line.addAll(args);
    line.add(config.toString());
    return line;
  }

  /**
   * Runs another command of the service (such as {@code import}) with this service's configuration,
   * as a separate JVM, and returns its output; fails unless it exits with 0.
   */
  String runCommand(String command, List<String> args) throws Exception {
    Process child =
        new ProcessBuilder(serviceCommand(command, args, config)).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (child.waitFor() != 0) {
      throw new IllegalStateException(command + " " + args + " failed:\n" + output);
    }
    return output;
  }

  /**
   * Waits (at most 30 s) until the service is idle: under 10% of a core over a quarter second, so
   * that a measurement does not pay for work left over from the one before (the loader catching up
   * on what the last load committed, garbage collection, the JIT). Returns at once where /proc is
   * missing.
   */
  void awaitIdle() throws InterruptedException {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long before = cpuTicks(stat);
    while (before >= 0 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      long now = cpuTicks(stat);
      if (now - before <= 2) { // clock ticks are 10 ms: at most 20 ms of CPU in 250 ms
        return;
      }
      before = now;
    }
  }

  /** utime + stime of a {@code /proc/<pid>/stat} file in clock ticks, or -1. */
  private static long cpuTicks(Path stat) {
    try {
      return cpuTicks(stat, Files.readString(stat));
    } catch (IOException e) {
      return -1;
    }
  }

  /** utime + stime of the text of a {@code stat} file, or -1. */
  private static long cpuTicks(Path stat, String line) {
    try {
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU time the service JVM's JIT compiler threads ("C1/C2 CompilerThread") have used so far, in
   * milliseconds, or -1 where /proc is missing. A warm-up is over when this stops growing.
   */
  long compilerCpuMillis() {
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    long ticks = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        String stat;
        try {
          stat = Files.readString(thread.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended meanwhile
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.contains("CompilerThre")) {
          ticks += Math.max(0, cpuTicks(thread.resolve("stat"), stat));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * 10; // clock ticks are 10 ms
  }

  /** The service JVM's peak resident memory (VmHWM), in MB, or -1 where /proc is missing. */
  long peakRssMb() {
    return PeakRss.ofProcessMb(process.pid());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  private void waitUntilUp() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service exited:\n" + Files.readString(log));
      }
      try {
        client.send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/apps")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        Thread.sleep(250);
      }
    }
    throw new IllegalStateException("service did not start:\n" + Files.readString(log));
  }

  /** A tenant on the business plan and one app. */
  TenantApp createTenantAndApp() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> tenant =
        client.send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/tenants"))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String token = field(tenant.body(), "management_token");
    HttpResponse<String> app =
        client.send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/apps"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    try (Connection connection = DriverManager.getConnection(dbUrl, "root", "");
        PreparedStatement update =
            connection.prepareStatement("UPDATE tenants SET plan_code = 'business' WHERE id = ?")) {
      update.setLong(1, Long.parseLong(field(tenant.body(), "tenant_id")));
      update.executeUpdate();
    }
    return new TenantApp(
        field(tenant.body(), "tenant_key"),
        token,
        field(app.body(), "app_key"),
        Long.parseLong(field(app.body(), "app_id")));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void createDatabase(String dbUrl) throws SQLException {
    onServer(dbUrl, "CREATE DATABASE IF NOT EXISTS `%s`");
  }

  /** Drops and creates the database of {@code dbUrl}: a run that must start empty. */
  static void recreateDatabase(String dbUrl) throws SQLException {
    onServer(dbUrl, "DROP DATABASE IF EXISTS `%s`");
    onServer(dbUrl, "CREATE DATABASE `%s`");
  }

  private static void onServer(String dbUrl, String sqlTemplate) throws SQLException {
    URI uri = URI.create(dbUrl.substring("jdbc:".length()));
    String database = uri.getPath().substring(1);
    String server = dbUrl.replace("/" + database, "/");
    try (Connection connection = DriverManager.getConnection(server, "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sqlTemplate.formatted(database.replace("`", "")));
    }
  }

  private static String config(Path dir, String dbUrl, String redisUrl, int port, int adminPort) {
    return """
        dataDir: %s
        database:
          driverClass: org.mariadb.jdbc.Driver
          url: "%s"
          user: root
          password: ""
          minSize: 4
          maxSize: 32
          maxWaitForConnection: 2s
          properties:
            connectionTimeZone: UTC
        redis:
          url: "%s"
        embedded:
          createDemoTenant: false
        tenancy:
          operatorToken: "%s"
        server:
          applicationConnectors:
            - type: http
              port: %d
          adminConnectors:
            - type: http
              port: %d
          requestLog:
            appenders: []
        logging:
          level: WARN
          appenders:
            - type: console
        """
        .formatted(dir.resolve("data"), dbUrl, redisUrl, OPERATOR_TOKEN, port, adminPort);
  }
}
