package io.tracetics.explore;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsApplication;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SQL exploration against the real application: formats, limits and the security suite. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ExploreIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Tenant A (who queries) and tenant B (whose rows must never show), each with loaded events. */
  record Fixture(Tenants.TenantApp a, Tenants.TenantApp b, String secret) {}

  Fixture fixture() throws Exception {
    Http http = http();
    Tenants.TenantApp a = Tenants.create(http);
    Tenants.TenantApp b = Tenants.create(http);
    String secret = "mallory-" + System.nanoTime();
    long t = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    EventWriter.writeBatch(
        a.appId(),
        List.of(
            new EventWriter.Event("alice", "visit", t, "{\"plan\": \"pro\"}"),
            new EventWriter.Event("bob", "visit", t + 1000, "{\"plan\": \"free\"}"),
            new EventWriter.Event("alice", "signup", t + 2000, null)),
        0,
        false);
    EventWriter.writeBatch(
        b.appId(),
        List.of(new EventWriter.Event(secret, "secret_event", t, "{\"plan\": \"" + secret + "\"}")),
        0,
        false);
    awaitCount(a.appId(), 3);
    awaitCount(b.appId(), 1);
    return new Fixture(a, b, secret);
  }

  static Http http() {
    return new Http(APP.getLocalPort());
  }

  static void awaitCount(long appId, long expected) throws InterruptedException {
    AnalyticsStore store = ((TraceticsApplication) APP.getApplication()).analyticsStore();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (store.count(appId) >= expected) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("app " + appId + " never reached " + expected + " events");
  }

  static Http.Response sql(Tenants.TenantApp as, long appId, String query) {
    return http()
        .post("/api/v1/apps/" + appId + "/sql")
        .bearer(as.managementToken())
        .json(Map.of("query", query))
        .send();
  }

  static HttpResponse<byte[]> sqlBytes(Tenants.TenantApp as, String query, String accept)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + APP.getLocalPort()
                        + "/api/v1/apps/"
                        + as.appId()
                        + "/sql"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + as.managementToken())
            .header("Content-Type", "application/json")
            .header("Accept", accept)
            .POST(HttpRequest.BodyPublishers.ofString(Http.json(Map.of("query", query))))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void answersJsonWithColumnsRowsAndCounts() throws Exception {
    Fixture f = fixture();
    Http.Response r =
        sql(
            f.a(),
            f.a().appId(),
            "SELECT user_identifier, event_name, event_time, metadata, metadata->>'plan' AS plan"
                + " FROM events ORDER BY event_time");
    assertEquals(200, r.status(), r::toString);
    JsonNode body = r.json();
    assertEquals(
        "[{\"name\":\"user_identifier\",\"type\":\"VARCHAR\"},{\"name\":\"event_name\",\"type\":\"VARCHAR\"},"
            + "{\"name\":\"event_time\",\"type\":\"TIMESTAMP\"},{\"name\":\"metadata\",\"type\":\"JSON\"},"
            + "{\"name\":\"plan\",\"type\":\"VARCHAR\"}]",
        body.get("columns").toString());
    assertEquals(3, body.get("row_count").asInt());
    assertFalse(body.get("truncated").asBoolean());
    assertTrue(body.get("elapsed_ms").isNumber());
    JsonNode first = body.get("rows").get(0);
    assertEquals("alice", first.get(0).asText());
    assertTrue(first.get(2).asText().startsWith("2026-01-01"), first::toString);
    assertEquals("pro", first.get(3).get("plan").asText(), "metadata is JSON, not a string");
    assertEquals("pro", first.get(4).asText());
    assertTrue(body.get("rows").get(2).get(3).isNull());

    JsonNode counts =
        sql(
                f.a(),
                f.a().appId(),
                "SELECT event_name, count(*) AS n FROM events GROUP BY 1 ORDER BY 1")
            .json();
    assertEquals("[[\"signup\",1],[\"visit\",2]]", counts.get("rows").toString());
  }

  @Test
  void answersCsvWithAHeaderRowAndTheTruncationTrailer() throws Exception {
    Fixture f = fixture();
    HttpResponse<byte[]> r =
        sqlBytes(
            f.a(),
            "SELECT user_identifier, event_name, metadata->>'plan' AS plan, 'a,\"b' AS odd"
                + " FROM events ORDER BY event_time",
            "text/csv");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    assertEquals("1000", r.headers().firstValue("X-Tracetics-Row-Limit").orElseThrow());
    assertEquals(
        "user_identifier,event_name,plan,odd\r\n"
            + "alice,visit,pro,\"a,\"\"b\"\r\n"
            + "bob,visit,free,\"a,\"\"b\"\r\n"
            + "alice,signup,,\"a,\"\"b\"\r\n",
        new String(r.body(), StandardCharsets.UTF_8));

    RawResponse cut = raw(f.a(), "SELECT * FROM range(5000)", "text/csv");
    assertEquals(200, cut.status());
    assertEquals(1001, cut.body().split("\r\n").length, "header + 1000 rows");
    assertEquals("true", cut.trailers().get("x-tracetics-truncated"));
    RawResponse whole = raw(f.a(), "SELECT * FROM range(10)", "text/csv");
    assertEquals("false", whole.trailers().get("x-tracetics-truncated"));
  }

  @Test
  void answersAnArrowStreamThatArrowsOwnReaderReads() throws Exception {
    Fixture f = fixture();
    HttpResponse<byte[]> r =
        sqlBytes(
            f.a(),
            "SELECT user_identifier, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
            "application/vnd.apache.arrow.stream");
    assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
    assertEquals(
        "application/vnd.apache.arrow.stream",
        r.headers().firstValue("Content-Type").orElseThrow());
    Map<String, Long> counts = new LinkedHashMap<>();
    try (RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader =
            new ArrowStreamReader(new ByteArrayInputStream(r.body()), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      assertEquals(
          List.of("user_identifier", "n"),
          root.getSchema().getFields().stream().map(x -> x.getName()).toList());
      while (reader.loadNextBatch()) {
        VarCharVector users = (VarCharVector) root.getVector("user_identifier");
        BigIntVector n = (BigIntVector) root.getVector("n");
        for (int i = 0; i < root.getRowCount(); i++) {
          counts.put(new String(users.get(i), StandardCharsets.UTF_8), n.get(i));
        }
      }
    }
    assertEquals(Map.of("alice", 2L, "bob", 1L), counts);

    HttpResponse<byte[]> big =
        sqlBytes(f.a(), "SELECT * FROM range(10000000)", "application/vnd.apache.arrow.stream");
    assertEquals(200, big.statusCode());
    long rows = 0;
    try (RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader =
            new ArrowStreamReader(new ByteArrayInputStream(big.body()), allocator)) {
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
    }
    assertEquals(1000, rows);
  }

  /** At least 30 escape attempts: every one refused with a reason, none shows another's row. */
  @Test
  void escapeAttemptsAreRefusedAndTheServerStaysHealthy() throws Exception {
    Fixture f = fixture();
    long b = f.b().appId();
    List<String> attempts =
        List.of(
            "SELECT 1; DROP TABLE events",
            "SELECT * FROM events; SELECT * FROM main.events",
            "DROP TABLE events",
            "DELETE FROM events",
            "INSERT INTO events (event_id) VALUES (1)",
            "UPDATE events SET event_name = 'x'",
            "CREATE TABLE stolen AS SELECT * FROM main.events",
            "COPY (SELECT * FROM main.events) TO '/tmp/tracetics-stolen.csv'",
            "EXPORT DATABASE '/tmp/tracetics-export'",
            "ATTACH '/tmp/tracetics-x.duckdb' AS x",
            "ATTACH ':memory:' AS x",
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM read_parquet('/tmp/x.parquet')",
            "SELECT * FROM read_text('/etc/hostname')",
            "SELECT * FROM glob('/*')",
            "SELECT * FROM '/etc/passwd'",
            "INSTALL httpfs",
            "LOAD httpfs",
            "SET threads = 8",
            "SET enable_external_access = true",
            "RESET memory_limit",
            "PRAGMA database_list",
            "SELECT * FROM main.events",
            "SELECT * FROM memory.main.events",
            "SELECT * FROM events_view",
            "SELECT * FROM load_staging",
            "SELECT * FROM duckdb_tables()",
            "SELECT * FROM duckdb_settings()",
            "SELECT * FROM duckdb_databases()",
            "SELECT * FROM duckdb_columns",
            "SELECT * FROM information_schema.tables",
            "SELECT * FROM pg_catalog.pg_class",
            "SELECT * FROM query('SELECT * FROM main.events')",
            "SELECT getenv('HOME')",
            "SELECT current_setting('memory_limit')",
            "DESCRIBE events",
            "SHOW TABLES",
            "SELECT * FROM events WHERE app_id = " + b,
            "SELECT event_name FROM events UNION ALL SELECT event_name FROM main.events WHERE app_id = "
                + b,
            "WITH a AS (SELECT * FROM events_view), events_view AS (SELECT 1) SELECT * FROM a",
            "SELECT (SELECT count(*) FROM main.events)",
            "SELECT * FROM events AT (VERSION => 1)");
    assertTrue(attempts.size() >= 30);
    List<String> failures = new ArrayList<>();
    for (String attempt : attempts) {
      Http.Response r = sql(f.a(), f.a().appId(), attempt);
      if (r.status() != 400) {
        failures.add(attempt + " -> " + r);
        continue;
      }
      JsonNode body = assertError(r, 400, null);
      String key = body.get("error").asText();
      if (!List.of("sql_not_allowed", "sql_syntax_error", "sql_error").contains(key)) {
        failures.add(attempt + " -> unexpected key " + r);
      }
      if (r.text().contains(f.secret())) {
        failures.add(attempt + " -> leaked " + r);
      }
    }
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));

    // Another tenant's app is not found, whatever the query.
    assertError(sql(f.a(), b, "SELECT * FROM events"), 404, "app_not_found");
    // Without a token: 401.
    assertEquals(
        401,
        http()
            .post("/api/v1/apps/" + f.a().appId() + "/sql")
            .json(Map.of("query", "SELECT 1"))
            .send()
            .status());

    // Bounded: a query that would run forever, and ten million rows.
    long start = System.nanoTime();
    assertError(
        sql(f.a(), f.a().appId(), "SELECT count(*) FROM range(1000000000) a, range(1000000000) b"),
        400,
        "sql_timeout");
    assertTrue((System.nanoTime() - start) / 1_000_000 < 15_000, "bounded by the time limit");
    Http.Response big = sql(f.a(), f.a().appId(), "SELECT * FROM range(10000000)");
    assertEquals(200, big.status());
    assertEquals(1000, big.json().get("rows").size());
    assertTrue(big.json().get("truncated").asBoolean());

    // The tenant's whole view holds only its rows.
    Http.Response all = sql(f.a(), f.a().appId(), "SELECT * FROM events");
    assertEquals(3, all.json().get("row_count").asInt());
    assertFalse(all.text().contains(f.secret()));
    // B sees its own row through its own token.
    assertTrue(sql(f.b(), b, "SELECT * FROM events").text().contains(f.secret()));

    assertHealthy(f);
  }

  @Test
  void extraQueriesBeyondTheCapGet429() throws Exception {
    Fixture f = fixture();
    String slow = "SELECT count(*) FROM range(1000000000) a, range(1000000000) b";
    CompletableFuture<Http.Response> one =
        CompletableFuture.supplyAsync(() -> sql(f.a(), f.a().appId(), slow));
    CompletableFuture<Http.Response> two =
        CompletableFuture.supplyAsync(() -> sql(f.a(), f.a().appId(), slow));
    Thread.sleep(700);
    Http.Response third = sql(f.a(), f.a().appId(), "SELECT 1");
    assertError(third, 429, "sql_busy");
    assertEquals("1", third.header("Retry-After"));
    assertError(one.get(), 400, "sql_timeout");
    assertError(two.get(), 400, "sql_timeout");
    assertHealthy(f);
  }

  /** Health check green, a normal query works, and the loader still loads new events. */
  void assertHealthy(Fixture f) throws Exception {
    Http.Response health = new Http(APP.getAdminPort()).get("/healthcheck").send();
    assertTrue(health.json().get("duckdb").get("healthy").asBoolean(), health::toString);
    EventWriter.writeBatch(
        f.a().appId(),
        List.of(new EventWriter.Event("carol", "after", System.currentTimeMillis(), "{}")),
        0,
        false);
    awaitCount(f.a().appId(), 4);
    Http.Response after =
        sql(f.a(), f.a().appId(), "SELECT count(*) FROM events WHERE event_name = 'after'");
    assertEquals(200, after.status(), after::toString);
    assertEquals("[[1]]", after.json().get("rows").toString());
  }

  /** A response read off the socket, so that HTTP trailers can be seen. */
  record RawResponse(int status, String body, Map<String, String> trailers) {}

  static RawResponse raw(Tenants.TenantApp as, String query, String accept) throws Exception {
    byte[] json = Http.json(Map.of("query", query)).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      String head =
          "POST /api/v1/apps/"
              + as.appId()
              + "/sql HTTP/1.1\r\n"
              + "Host: 127.0.0.1\r\n"
              + "Authorization: Bearer "
              + as.managementToken()
              + "\r\n"
              + "Content-Type: application/json\r\n"
              + "Accept: "
              + accept
              + "\r\n"
              + "TE: trailers\r\n"
              + "Connection: close\r\n"
              + "Content-Length: "
              + json.length
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(json);
      out.flush();
      InputStream in = socket.getInputStream();
      String status = line(in);
      int code = Integer.parseInt(status.split(" ")[1]);
      boolean chunked = false;
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        if (h.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:") && h.contains("chunked")) {
          chunked = true;
        }
      }
      assertTrue(chunked, "a streamed answer is chunked");
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
        if (size == 0) {
          break;
        }
        body.write(in.readNBytes(size));
        line(in);
      }
      Map<String, String> trailers = new LinkedHashMap<>();
      for (String t = line(in); !t.isEmpty(); t = line(in)) {
        int colon = t.indexOf(':');
        trailers.put(
            t.substring(0, colon).trim().toLowerCase(Locale.ROOT), t.substring(colon + 1).trim());
      }
      return new RawResponse(code, body.toString(StandardCharsets.UTF_8), trailers);
    }
  }

  private static String line(InputStream in) throws Exception {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
