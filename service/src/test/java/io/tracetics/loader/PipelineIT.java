package io.tracetics.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsApplication;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class PipelineIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  @Test
  void concurrentWritersEndWithExactlyTheMariaDbEventSet() throws Exception {
    Http http = new Http(APP.getLocalPort());
    long appId = Tenants.create(http).appId();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<List<Long>>> writers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      int writer = w;
      writers.add(
          pool.submit(
              () -> {
                List<Long> committed = new ArrayList<>();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int tx = 0; tx < 25; tx++) {
                  List<EventWriter.Event> events = new ArrayList<>();
                  int size = 1 + random.nextInt(40);
                  for (int i = 0; i < size; i++) {
                    events.add(
                        new EventWriter.Event(
                            "u" + writer + "-" + random.nextInt(20),
                            "step" + random.nextInt(3),
                            System.currentTimeMillis(),
                            "{\"writer\": " + writer + "}"));
                  }
                  // Long, overlapping transactions make ids commit out of order; some roll back,
                  // leaving permanent gaps in the id sequence.
                  committed.addAll(
                      EventWriter.writeBatch(
                          appId, events, random.nextInt(40), random.nextInt(10) == 0));
                }
                return committed;
              }));
    }
    List<Long> expected = new ArrayList<>();
    for (Future<List<Long>> writer : writers) {
      expected.addAll(writer.get());
    }
    pool.shutdown();
    expected.sort(Long::compare);

    AnalyticsStore store = ((TraceticsApplication) APP.getApplication()).analyticsStore();
    awaitCount(store, appId, expected.size(), Duration.ofSeconds(60));
    assertEquals(expected, duckDbIds(store, appId));
    assertEquals(expected, mariaDbIds(appId));
  }

  @Test
  void aPoisonRowIsQuarantinedAndTheRestFlows() throws Exception {
    Http http = new Http(APP.getLocalPort());
    long appId = Tenants.create(http).appId();
    long now = System.currentTimeMillis();
    List<Long> ids =
        EventWriter.writeBatch(
            appId,
            List.of(
                new EventWriter.Event("alice", "visit", now, "{\"plan\": \"pro\"}"),
                new EventWriter.Event("bob", "visit", now, "{broken json"),
                new EventWriter.Event("carol", "visit", now, null)),
            0,
            false);
    List<Long> after =
        EventWriter.writeBatch(
            appId, List.of(new EventWriter.Event("dave", "visit", now, "{}")), 0, false);

    AnalyticsStore store = ((TraceticsApplication) APP.getApplication()).analyticsStore();
    awaitCount(store, appId, 3, Duration.ofSeconds(30));
    assertEquals(List.of(ids.get(0), ids.get(2), after.get(0)), duckDbIds(store, appId));
    try (Connection c = TestServers.get().connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT reason FROM quarantined_events WHERE event_id = ?")) {
      ps.setLong(1, ids.get(1));
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "the poison row is quarantined");
        assertTrue(rs.getString(1).contains("not valid JSON"), rs.getString(1));
      }
    }
    JsonNode status = http.get("/api/v1/pipeline").bearer(TestApp.OPERATOR_TOKEN).send().json();
    assertTrue(status.get("loader").get("quarantined_rows").asLong() >= 1, status::toString);
  }

  @Test
  void operatorSeesThePipeline() throws Exception {
    Http http = new Http(APP.getLocalPort());
    long appId = Tenants.create(http).appId();
    EventWriter.writeBatch(
        appId,
        List.of(new EventWriter.Event("u", "visit", System.currentTimeMillis(), null)),
        0,
        false);
    AnalyticsStore store = ((TraceticsApplication) APP.getApplication()).analyticsStore();
    awaitCount(store, appId, 1, Duration.ofSeconds(30));
    Tenants.TenantApp sender = Tenants.create(http);
    Http.Response sent =
        http.post("/api/v1/events")
            .header("X-OL-Tenant-Key", sender.tenantKey())
            .header("X-OL-App-Key", sender.appKey())
            .body("{\"event_name\": \"visit\", \"user_identifier\": \"u\"}")
            .send();
    assertEquals(200, sent.status(), sent::toString);
    Http.Response response = http.get("/api/v1/pipeline").bearer(TestApp.OPERATOR_TOKEN).send();
    assertEquals(200, response.status(), response::toString);
    JsonNode status = response.json();
    assertTrue(status.at("/ingest/events/accepted").asLong() >= 1, status::toString);
    assertTrue(status.at("/ingest/group_commits/count").asLong() >= 1, status::toString);
    assertTrue(status.at("/ingest/queue/events").isInt(), status::toString);
    assertTrue(status.at("/ingest/notices/published").isNumber(), status::toString);
    assertTrue(status.at("/funnels/recompute_duration_ms/count").isNumber(), status::toString);
    JsonNode loader = status.get("loader");
    assertTrue(loader.get("position").asLong() >= 1, status::toString);
    assertTrue(loader.get("lag_ms").get("p95").isNumber());
    assertTrue(loader.get("last_success_at").isTextual());
    assertTrue(status.get("queue").has("unsequenced_batches"));
    assertEquals(401, http.get("/api/v1/pipeline").send().status());
    Http.Response health = new Http(APP.getAdminPort()).get("/healthcheck").send();
    assertTrue(health.json().get("duckdb").get("healthy").asBoolean(), health::toString);
  }

  static void awaitCount(AnalyticsStore store, long appId, long expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long count = -1;
    while (System.nanoTime() < deadline) {
      count = store.count(appId);
      if (count >= expected) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "DuckDB holds " + count + " events of app " + appId + ", expected " + expected);
  }

  static List<Long> duckDbIds(AnalyticsStore store, long appId) throws Exception {
    try (Connection c = store.openReader();
        PreparedStatement ps =
            c.prepareStatement("SELECT event_id FROM events WHERE app_id = ? ORDER BY event_id")) {
      ps.setLong(1, appId);
      return ids(ps);
    }
  }

  static List<Long> mariaDbIds(long appId) throws Exception {
    try (Connection c = TestServers.get().connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT id FROM events WHERE app_id = ? ORDER BY id")) {
      ps.setLong(1, appId);
      return ids(ps);
    }
  }

  private static List<Long> ids(PreparedStatement ps) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }
}
