package io.tracetics.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.testing.TestServers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one-command start, as a newcomer gets it: the repository's own {@code config.yml} with no
 * database or Redis configured starts embedded MariaDB and Redis, creates the demo tenant and
 * prints its keys; the printed keys accept the seed event; {@code import} run beside the server
 * uses the same embedded servers; a graceful stop takes the embedded servers down with it.
 */
class EmbeddedStartIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CONFIG = Path.of("..", "config.yml").toAbsolutePath().normalize();
  // Not under java.io.tmpdir: the embedded MariaDB refuses data there (it would be wiped).
  private static final Path DIR = Path.of("target", "embedded-start-it").toAbsolutePath();

  private final HttpClient http = HttpClient.newHttpClient();
  private final int port = TestServers.freePort();
  private final int adminPort = TestServers.freePort();
  private final int mariadbPort = TestServers.freePort();
  private final int redisPort = TestServers.freePort();
  private Process server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null && server.isAlive()) {
      server.destroy();
      if (!server.waitFor(60, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void startsWithEmbeddedServersAndCommandsShareThem() throws Exception {
    deleteRecursively(DIR);
    Files.createDirectories(DIR);
    Path log = DIR.resolve("server.log");
    server = process(List.of("server")).redirectOutput(log.toFile()).start();
    String banner = awaitBanner(log, Duration.ofMinutes(4));

    String tenantKey = find(banner, "Demo tenant key:\\s+(tk_\\S+)");
    String appKey = find(banner, "Demo app key:\\s+(ak_\\S+)");
    String token = find(banner, "Management token:\\s+(mt_\\S+)");
    long appId = Long.parseLong(find(banner, "\\(app_id (\\d+)\\)"));
    // Without billing the demo tenant has no limits: a self-hoster is never refused at 100k.
    assertEquals("unlimited (no limits)", find(banner, "Plan:\\s+(.+)").strip());

    HttpResponse<String> seed =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/events"))
                .header("Content-Type", "application/json")
                .header("X-OL-Tenant-Key", tenantKey)
                .header("X-OL-App-Key", appKey)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"event_name\": \"signup_completed\", \"user_identifier\": \"user_123\","
                            + " \"metadata\": {\"plan\": \"pro\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, seed.statusCode(), seed.body());

    Path csv = DIR.resolve("history.csv");
    Files.writeString(
        csv,
        "user_identifier,event_name,timestamp,plan\n"
            + "u1,visited_pricing,1700000000000,pro\n"
            + "u1,signup_completed,1700000060000,pro\n"
            + "u2,visited_pricing,1700000120000,free\n");
    Process importer =
        process(List.of("import", "--app", Long.toString(appId), "--file", csv.toString()))
            .redirectOutput(DIR.resolve("import.log").toFile())
            .start();
    assertTrue(importer.waitFor(3, TimeUnit.MINUTES), "import did not finish");
    String importOutput = Files.readString(DIR.resolve("import.log"));
    assertEquals(0, importer.exitValue(), importOutput);
    assertTrue(importOutput.contains("Using the embedded MariaDB already running"), importOutput);
    assertTrue(importOutput.contains("new 3, already stored 0"), importOutput);
    Process tenants =
        process(List.of("tenants", "list", "--json"))
            .redirectOutput(DIR.resolve("tenants.log").toFile())
            .start();
    assertTrue(tenants.waitFor(3, TimeUnit.MINUTES), "tenants list did not finish");
    String tenantsOutput = Files.readString(DIR.resolve("tenants.log"));
    assertEquals(0, tenants.exitValue(), tenantsOutput);
    // The whole output is the JSON document: no log line of the command's start-up before it.
    JsonNode listed = new ObjectMapper().readTree(tenantsOutput);
    assertTrue(listed.isArray(), tenantsOutput);
    assertEquals("Demo", listed.get(0).get("name").asText(), tenantsOutput);
    assertEquals("unlimited", listed.get(0).at("/plan/code").asText(), tenantsOutput);

    // The server's pipeline loads both the ingested and the imported events.
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    long count = -1;
    while (System.nanoTime() < deadline && count != 4) {
      HttpResponse<String> sql =
          http.send(
              HttpRequest.newBuilder(uri("/api/v1/apps/" + appId + "/sql"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + token)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"query\": \"SELECT count(*) FROM events\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, sql.statusCode(), sql.body());
      JsonNode rows = JSON.readTree(sql.body()).get("rows");
      count = rows.get(0).get(0).asLong();
      Thread.sleep(200);
    }
    assertEquals(4, count, "events in DuckDB: the seed event and three imported ones");

    server.destroy(); // SIGTERM: Dropwizard stops, and the embedded servers with it
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop");
    assertTrue(closed(mariadbPort), "embedded MariaDB still answers after the server stopped");
    assertTrue(closed(redisPort), "embedded Redis still answers after the server stopped");
  }

  private ProcessBuilder process(List<String> command) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    line.add("-Xmx384m");
    line.add("-XX:TieredStopAtLevel=1");
    line.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    line.add("--enable-native-access=ALL-UNNAMED");
    line.add("-Ddw.embedded.mariadbPort=" + mariadbPort);
    line.add("-Ddw.embedded.redisPort=" + redisPort);
    line.add("-cp");
    line.add(System.getProperty("java.class.path"));
    line.add("io.tracetics.app.TraceticsApplication");
    line.addAll(command);
    line.add(CONFIG.toString());
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("TRACETICS_") || name.startsWith("STRIPE_"));
    env.put("TRACETICS_DATA_DIR", DIR.resolve("data").toString());
    env.put("TRACETICS_PORT", Integer.toString(port));
    env.put("TRACETICS_ADMIN_PORT", Integer.toString(adminPort));
    return builder;
  }

  private String awaitBanner(Path log, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      if (text.contains("Management token:") && healthy()) {
        return text;
      }
      if (!server.isAlive()) {
        throw new AssertionError("server exited: " + text);
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no banner within " + timeout + ": " + Files.readString(log));
  }

  private boolean healthy() {
    try {
      return http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no " + regex + " in the start-up output:\n" + text);
    return m.group(1);
  }

  private static boolean closed(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return true;
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
