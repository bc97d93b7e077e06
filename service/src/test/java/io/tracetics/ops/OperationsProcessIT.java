package io.tracetics.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.testing.Http;
import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.TestApp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as operators run it: the repository's config.yml in its own process, configured only
 * through TRACETICS_* variables. Text logs by default and JSON logs with TRACETICS_LOG_FORMAT=json;
 * the admin port on loopback unless TRACETICS_ADMIN_BIND says otherwise; /ready turns 503 at the
 * start of shutdown while requests are still served; and no secret issued during a whole scenario
 * appears anywhere in its output (application log and request log).
 */
class OperationsProcessIT {
  private static final Path CONFIG = Path.of("..", "config.yml").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A loopback address other than 127.0.0.1: a socket bound to 127.0.0.1 does not accept on it, one
   * bound to 0.0.0.0 does, so it tells the bind host apart without leaving this machine.
   */
  private static final String OTHER_LOOPBACK = "127.0.0.2";

  @Test
  void textLogsByDefaultAdminOnLoopbackDrainOnShutdownAndNoSecretsLogged(@TempDir Path dir)
      throws Exception {
    ServiceProcess service =
        ServiceProcess.start(
            ServiceProcess.options("ops-text", dir)
                .configFile(CONFIG)
                .env("TRACETICS_DRAIN_DELAY", "3s"),
            Duration.ofSeconds(120));
    try (service) {
      // Admin port: 127.0.0.1 only; the API (no bindHost) on every address as a control.
      assertTrue(accepts("127.0.0.1", service.adminPort()));
      assertFalse(accepts(OTHER_LOOPBACK, service.adminPort()), "admin port bound to 127.0.0.1");
      assertTrue(accepts(OTHER_LOOPBACK, service.port()), "the API port listens on all addresses");

      Set<String> secrets = scenario(service.http());
      assertEquals(200, service.admin("/ready").status());

      // /prometheus of a real process: the JVM gauges Dropwizard registers at start are there too.
      Http.Response scrape = service.admin("/prometheus");
      assertEquals(200, scrape.status());
      assertTrue(scrape.header("Content-Type").startsWith("text/plain; version=0.0.4"));
      assertTrue(scrape.text().contains("\n# TYPE jvm_memory_heap_used gauge\n"), "a JVM gauge");
      assertTrue(scrape.text().contains("\njvm_threads_count "), "JVM threads");
      assertTrue(
          scrape.text().contains("\n# TYPE io_tracetics_ingest_events_accepted_total counter\n"));

      // Shutdown: /ready says draining at once while the API still answers, then the process ends.
      long stopAt = System.nanoTime();
      service.requestStop();
      Http.Response ready = awaitReadyStatus(service, 503, Duration.ofSeconds(2));
      assertEquals("draining", ready.json().get("reason").asText(), ready::toString);
      Http.Response api = service.http().get("/api/v1/openapi.yaml").send();
      assertEquals(200, api.status(), "still serving while draining");
      assertEquals(143, service.awaitExitValue(Duration.ofSeconds(60)), service::tail);
      long stoppedMs = (System.nanoTime() - stopAt) / 1_000_000;
      assertTrue(stoppedMs >= 3_000, "waited the drain delay before stopping: " + stoppedMs);

      List<String> lines = Files.readAllLines(service.log(), StandardCharsets.UTF_8);
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("\"POST /api/v1/tenants HTTP/1.1\" 201")),
          "text request log lines: " + service.tail());
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith("INFO  [") && l.contains("io.tracetics.")),
          "text application log lines: " + service.tail());
      assertFalse(lines.stream().anyMatch(l -> l.startsWith("{")), "no JSON by default");
      assertNoSecrets(secrets, service.log());
    }
  }

  @Test
  void jsonLogsAreOneObjectPerLineAndAdminBindIsConfigurable(@TempDir Path dir) throws Exception {
    ServiceProcess service =
        ServiceProcess.start(
            ServiceProcess.options("ops-json", dir)
                .configFile(CONFIG)
                .env("TRACETICS_LOG_FORMAT", "json")
                .env("TRACETICS_ADMIN_BIND", "0.0.0.0"),
            Duration.ofSeconds(120));
    try (service) {
      assertTrue(accepts(OTHER_LOOPBACK, service.adminPort()), "admin port bound to 0.0.0.0");
      Set<String> secrets = scenario(service.http());
      assertEquals(143, service.stop(Duration.ofSeconds(60)));

      List<String> lines = Files.readAllLines(service.log(), StandardCharsets.UTF_8);
      int applicationLines = 0;
      int requestLines = 0;
      for (String line : lines) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode entry;
        try {
          entry = JSON.readTree(line);
        } catch (IOException e) {
          fail("not one JSON object per line: " + line);
          return;
        }
        assertTrue(entry.isObject(), line);
        if (entry.has("level") && entry.has("logger") && entry.has("message")) {
          applicationLines++;
        } else if (entry.has("method") && entry.has("uri") && entry.has("status")) {
          requestLines++;
        } else {
          fail("neither an application nor a request log entry: " + line);
        }
      }
      assertTrue(applicationLines > 0, "application log entries: " + applicationLines);
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("\"uri\":\"/api/v1/tenants\"")),
          "request log entries (" + requestLines + ")");
      assertNoSecrets(secrets, service.log());
    }
  }

  /**
   * Everything a tenant and the operator do with secrets, valid and wrong: returns every secret
   * value seen (issued, rotated, and the wrong ones sent).
   */
  private static Set<String> scenario(Http http) {
    Set<String> secrets = new LinkedHashSet<>();
    secrets.add(TestApp.OPERATOR_TOKEN);

    JsonNode tenant =
        ok(
            201,
            http.post("/api/v1/tenants")
                .bearer(TestApp.OPERATOR_TOKEN)
                .json(Map.of("name", "Ops " + System.nanoTime()))
                .send());
    String tenantKey = tenant.get("tenant_key").asText();
    String token = tenant.get("management_token").asText();
    JsonNode app =
        ok(201, http.post("/api/v1/apps").bearer(token).json(Map.of("name", "web")).send());
    long appId = app.get("app_id").asLong();
    String appKey = app.get("app_key").asText();
    secrets.addAll(List.of(tenantKey, token, appKey));

    ok(
        200,
        event(http, tenantKey, appKey, "{\"event_name\":\"visit\",\"user_identifier\":\"u1\"}"));
    ok(
        200,
        event(http, tenantKey, appKey, "{\"event_name\":\"signup\",\"user_identifier\":\"u1\"}"));
    ok(
        200,
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", tenantKey)
            .header("X-OL-App-Key", appKey)
            .body(
                "{\"events\":[{\"event_name\":\"visit\",\"user_identifier\":\"u2\"},"
                    + "{\"event_name\":\"\",\"user_identifier\":\"u2\"}]}")
            .send());
    assertEquals(400, event(http, tenantKey, appKey, "{not json").status());

    // Rotations: the old values stop working and are still secrets.
    String newTenantKey =
        ok(
                200,
                http.post("/api/v1/tenant/keys/rotate")
                    .bearer(token)
                    .json(Map.of("kind", "tenant_key"))
                    .send())
            .get("key")
            .asText();
    String newAppKey =
        ok(200, http.post("/api/v1/apps/" + appId + "/keys/rotate").bearer(token).send())
            .get("app_key")
            .asText();
    String newToken =
        ok(
                200,
                http.post("/api/v1/tenant/keys/rotate")
                    .bearer(token)
                    .json(Map.of("kind", "management_token"))
                    .send())
            .get("key")
            .asText();
    secrets.addAll(List.of(newTenantKey, newAppKey, newToken));
    ok(
        200,
        event(
            http, newTenantKey, newAppKey, "{\"event_name\":\"buy\",\"user_identifier\":\"u1\"}"));

    // Funnels, a report, SQL, usage and pipeline views.
    JsonNode funnel =
        ok(
            201,
            http.post("/api/v1/apps/" + appId + "/funnels")
                .bearer(newToken)
                .body(
                    "{\"name\":\"signup\",\"window_seconds\":3600,\"order\":\"ordered\","
                        + "\"steps\":[{\"event_name\":\"visit\"},{\"event_name\":\"signup\"}]}")
                .send());
    ok(
        200,
        http.get(
                "/api/v1/apps/"
                    + appId
                    + "/funnels/"
                    + funnel.get("funnel_id").asLong()
                    + "/report")
            .bearer(newToken)
            .send());
    ok(
        200,
        http.post("/api/v1/apps/" + appId + "/sql")
            .bearer(newToken)
            .json(Map.of("query", "SELECT count(*) FROM events"))
            .send());
    // A share link: its token travels in URLs, the request log's lines.
    String sharePath =
        "/api/v1/apps/" + appId + "/funnels/" + funnel.get("funnel_id").asLong() + "/shares";
    String shareToken = ok(201, http.post(sharePath).bearer(newToken).send()).get("token").asText();
    secrets.add(shareToken);
    ok(200, http.get("/api/v1/shared/" + shareToken + "/report").send());
    assertEquals(200, http.get("/s/" + shareToken + "?embed=1").send().status());
    ok(200, http.get("/api/v1/usage").bearer(newToken).send());
    ok(200, http.get("/api/v1/tenant/pipeline").bearer(newToken).send());
    ok(200, http.get("/api/v1/pipeline").bearer(TestApp.OPERATOR_TOKEN).send());

    // Wrong and old credentials, in every place a credential goes.
    String madeUpAppKey = "ak_" + "Zz9".repeat(11);
    String madeUpToken = "mt_" + "Qq7".repeat(11);
    String madeUpOperator = "operator-token-that-is-wrong-" + System.nanoTime();
    secrets.addAll(List.of(madeUpAppKey, madeUpToken, madeUpOperator));
    assertEquals(
        401,
        event(http, tenantKey, appKey, "{\"event_name\":\"a\",\"user_identifier\":\"u\"}")
            .status());
    assertEquals(
        401,
        event(http, newTenantKey, madeUpAppKey, "{\"event_name\":\"a\",\"user_identifier\":\"u\"}")
            .status());
    assertEquals(401, http.get("/api/v1/tenant").bearer(token).send().status());
    assertEquals(401, http.get("/api/v1/tenant").bearer(madeUpToken).send().status());
    assertEquals(401, http.get("/api/v1/tenant").bearer(newTenantKey).send().status());
    assertEquals(401, http.get("/api/v1/tenant").header("Authorization", newToken).send().status());
    assertEquals(
        401,
        http.post("/api/v1/tenants")
            .bearer(madeUpOperator)
            .json(Map.of("name", "nope"))
            .send()
            .status());
    assertEquals(
        401,
        http.post("/api/v1/tenants").bearer(newToken).json(Map.of("name", "nope")).send().status());
    assertEquals(401, http.get("/api/v1/pipeline").bearer(newToken).send().status());
    return secrets;
  }

  private static Http.Response event(Http http, String tenantKey, String appKey, String body) {
    return http.post("/api/v1/events")
        .header("X-OL-Tenant-Key", tenantKey)
        .header("X-OL-App-Key", appKey)
        .body(body)
        .send();
  }

  private static JsonNode ok(int status, Http.Response response) {
    assertEquals(status, response.status(), response::toString);
    return response.json();
  }

  /** No secret, nor the first 16 characters of one, anywhere in the process output. */
  private static void assertNoSecrets(Set<String> secrets, Path log) throws IOException {
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(output.length() > 1_000, "the log holds the run: " + output.length() + " chars");
    List<String> leaked = new ArrayList<>();
    for (String secret : secrets) {
      assertTrue(secret.length() >= 20, "a secret: " + secret);
      if (output.contains(secret) || output.contains(secret.substring(0, 16))) {
        leaked.add(secret.substring(0, 3) + "...");
      }
    }
    assertTrue(leaked.isEmpty(), "secrets in the log " + log + ": " + leaked);
  }

  private static Http.Response awaitReadyStatus(
      ServiceProcess service, int status, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Http.Response last = null;
    while (System.nanoTime() < deadline) {
      last = service.admin("/ready");
      if (last.status() == status) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "/ready did not answer " + status + " within " + timeout + ": " + last);
  }

  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      throw new AssertionError("connecting to " + host + ":" + port, e);
    }
  }
}
