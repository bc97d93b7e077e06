package io.tracetics.actors;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Actors on the running application: events and an identify go in through the ingest API, a saved
 * funnel with a breakdown and a trend, and every cell's people are the people its report counts, in
 * JSON pages, as CSV and as an Arrow stream.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ActorsIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http() {
    return new Http(APP.getLocalPort());
  }

  /** A tenant whose funnel "view -> cart -> buy" has five people, one across login. */
  record Fixture(Tenants.TenantApp t, long funnelId, Instant t0) {
    String actors(String query) {
      return "/api/v1/apps/" + t.appId() + "/funnels/" + funnelId + "/actors?" + query;
    }
  }

  private Fixture fixture() throws InterruptedException {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    List<Map<String, Object>> events =
        List.of(
            event("anon-a", "view", t0, Map.of("source", "ads")),
            event("a@example.com", "cart", t0.plusSeconds(10), Map.of()),
            event("a@example.com", "buy", t0.plusSeconds(20), Map.of()),
            event("b", "view", t0.plusSeconds(1), Map.of("source", "ads")),
            event("b", "cart", t0.plusSeconds(5), Map.of()),
            event("c", "view", t0.plusSeconds(2), Map.of("source", "mail")),
            event("d", "view", t0.plusSeconds(3), Map.of("source", "seo")),
            event("e", "view", t0.plusSeconds(4), Map.of()));
    Http.Response sent =
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", events))
            .send();
    assertEquals(8, sent.json().get("accepted").asInt(), sent::toString);
    Http.Response identified =
        http.post("/api/v1/identify")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("anonymous_id", "anon-a", "user_identifier", "a@example.com"))
            .send();
    assertEquals(200, identified.status(), identified::toString);
    Map<String, Object> definition = new HashMap<>();
    definition.put("name", "checkout");
    definition.put("window_seconds", 3600);
    definition.put(
        "steps",
        List.of(
            Map.of("event_name", "view"),
            Map.of("event_name", "cart"),
            Map.of("event_name", "buy")));
    definition.put("breakdown", "source");
    definition.put("breakdown_limit", 1);
    definition.put("interval", "day");
    Http.Response saved =
        http.post("/api/v1/apps/" + t.appId() + "/funnels")
            .bearer(t.managementToken())
            .json(definition)
            .send();
    assertEquals(201, saved.status(), saved::toString);
    Fixture f = new Fixture(t, saved.json().get("funnel_id").asLong(), t0);
    // Ready once the identify is loaded: the anonymous view is a@example.com's.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode buyers = page(f, "step=2");
      if (buyers.get("total").asLong() == 1) {
        return f;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the events and the identify were never loaded");
  }

  private JsonNode page(Fixture f, String query) {
    Http.Response r = http().get(f.actors(query)).bearer(f.t().managementToken()).send();
    assertEquals(200, r.status(), r::toString);
    return r.json();
  }

  private JsonNode report(Fixture f) {
    Http.Response r =
        http()
            .get("/api/v1/apps/" + f.t().appId() + "/funnels/" + f.funnelId() + "/report")
            .bearer(f.t().managementToken())
            .send();
    assertEquals(200, r.status(), r::toString);
    return r.json();
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("actors").forEach(a -> out.add(a.get("user_identifier").asText()));
    return out;
  }

  @Test
  void everyCellListsExactlyThePeopleItsReportCounts() throws Exception {
    Fixture f = fixture();
    JsonNode report = report(f);
    JsonNode steps = report.get("steps");
    for (int k = 0; k < 3; k++) {
      JsonNode reached = page(f, "step=" + k);
      assertEquals(steps.get(k).get("users").asLong(), reached.get("total").asLong());
      assertEquals(reached.get("total").asLong(), reached.get("actors").size());
      if (k > 0) {
        assertEquals(
            steps.get(k).get("drop_off").asLong(),
            page(f, "step=" + k + "&status=dropped").get("total").asLong());
      }
    }
    JsonNode buyer = page(f, "step=2").get("actors").get(0);
    assertEquals("a@example.com", buyer.get("user_identifier").asText());
    assertEquals(2, buyer.get("reached_step").asInt());
    assertEquals(f.t0(), Instant.parse(buyer.get("entered_at").asText()), "the anonymous view");
    assertEquals(
        List.of(f.t0(), f.t0().plusSeconds(10), f.t0().plusSeconds(20)),
        List.of(
            Instant.parse(buyer.get("step_times").get(0).asText()),
            Instant.parse(buyer.get("step_times").get(1).asText()),
            Instant.parse(buyer.get("step_times").get(2).asText())));
    assertTrue(buyer.get("entered_at").asText().endsWith(".000Z"), "ISO-8601 with milliseconds");
    assertEquals(
        new TreeSet<>(List.of("c", "d", "e")),
        new TreeSet<>(ids(page(f, "step=1&status=dropped"))));
    assertTrue(page(f, "step=0").get("watermark").get("identity_version").asLong() > 0);

    // Breakdown groups: "ads" is the top value; mail, seo and the unset value merge into other.
    for (JsonNode group : report.get("breakdowns")) {
      String cell =
          group.get("other").asBoolean()
              ? "breakdown_other=true"
              : group.get("value").isNull()
                  ? "breakdown_not_set=true"
                  : "breakdown_value=" + group.get("value").asText();
      for (int k = 0; k < 3; k++) {
        assertEquals(
            group.get("steps").get(k).get("users").asLong(),
            page(f, "step=" + k + "&" + cell).get("total").asLong(),
            cell + " step " + k);
      }
    }
    assertEquals(
        new TreeSet<>(List.of("a@example.com", "b")),
        new TreeSet<>(ids(page(f, "step=0&breakdown_value=ads"))));
    assertEquals(3, page(f, "step=0&breakdown_other=true").get("total").asLong());
    assertEquals(0, page(f, "step=0&breakdown_value=no-such-source").get("total").asLong());

    // Trend points: entered and completed.
    for (JsonNode point : report.get("trends")) {
      String period = "period=" + point.get("period").asText();
      assertEquals(
          point.get("entered").asLong(), page(f, "step=0&" + period).get("total").asLong());
      assertEquals(
          point.get("completed").asLong(), page(f, "step=2&" + period).get("total").asLong());
    }
    assertEquals(0, page(f, "step=0&period=2001-01-01").get("total").asLong());
  }

  @Test
  void pagesCsvAndArrowGiveTheSamePeople() throws Exception {
    Fixture f = fixture();
    List<String> all = ids(page(f, "step=0"));
    assertEquals(5, all.size());
    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode p = page(f, "step=0&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(5, p.get("total").asLong());
      paged.addAll(ids(p));
      cursor = p.get("next_cursor").isNull() ? null : p.get("next_cursor").asText();
      pages++;
    } while (cursor != null);
    assertEquals(3, pages);
    assertEquals(all, paged, "pages continue one another in the list's order");

    Http.Response csv =
        http()
            .get(f.actors("step=0"))
            .bearer(f.t().managementToken())
            .header("Accept", "text/csv")
            .send();
    assertEquals(200, csv.status(), csv::toString);
    assertEquals("5", csv.header("X-Tracetics-Total"));
    assertTrue(
        csv.header("X-Tracetics-Watermark").startsWith("events=8;"),
        csv.header("X-Tracetics-Watermark"));
    String[] lines = csv.text().split("\r\n");
    assertEquals("user_identifier,entered_at,reached_step,step_0_at,step_1_at,step_2_at", lines[0]);
    List<String> csvIds = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      csvIds.add(lines[i].split(",", -1)[0]);
    }
    assertEquals(all, csvIds);

    HttpResponse<byte[]> arrow =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + APP.getLocalPort() + f.actors("step=0")))
                    .header("Authorization", "Bearer " + f.t().managementToken())
                    .header("Accept", "application/vnd.apache.arrow.stream")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, arrow.statusCode(), () -> new String(arrow.body(), StandardCharsets.UTF_8));
    List<String> arrowIds = new ArrayList<>();
    int furthest = -1;
    try (RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader =
            new ArrowStreamReader(new ByteArrayInputStream(arrow.body()), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      assertEquals(
          List.of("user_identifier", "entered_at", "reached_step", "step_times"),
          root.getSchema().getFields().stream().map(x -> x.getName()).toList());
      while (reader.loadNextBatch()) {
        VarCharVector users = (VarCharVector) root.getVector("user_identifier");
        IntVector reached = (IntVector) root.getVector("reached_step");
        for (int i = 0; i < root.getRowCount(); i++) {
          arrowIds.add(new String(users.get(i), StandardCharsets.UTF_8));
          furthest = Math.max(furthest, reached.get(i));
        }
      }
    }
    assertEquals(all, arrowIds);
    assertEquals(2, furthest);
  }

  @Test
  void badCellsAreA400AndOthersFunnelsA404() throws Exception {
    Fixture f = fixture();
    String token = f.t().managementToken();
    assertError(http().get(f.actors("step=3")).bearer(token).send(), 400, "invalid_actors_request");
    assertError(
        http().get(f.actors("status=dropped")).bearer(token).send(), 400, "invalid_actors_request");
    assertError(http().get(f.actors("step=x")).bearer(token).send(), 400, "invalid_actors_request");
    assertError(
        http().get(f.actors("step=0&status=dropped")).bearer(token).send(),
        400,
        "invalid_actors_request");
    assertError(
        http().get(f.actors("step=0&breakdown_value=ads&period=2026-01-05")).bearer(token).send(),
        400,
        "invalid_actors_request");
    assertError(
        http().get(f.actors("step=0&period=yesterday")).bearer(token).send(),
        400,
        "invalid_actors_request");
    assertError(
        http().get(f.actors("step=0&cursor=bm9wZQ")).bearer(token).send(), 400, "invalid_cursor");
    Tenants.TenantApp other = Tenants.create(http());
    assertError(
        http().get(f.actors("step=0")).bearer(other.managementToken()).send(),
        404,
        "app_not_found");
    assertError(
        http()
            .get("/api/v1/apps/" + f.t().appId() + "/funnels/999999999/actors?step=0")
            .bearer(token)
            .send(),
        404,
        "funnel_not_found");
  }

  private static Map<String, Object> event(
      String user, String name, Instant at, Map<String, Object> metadata) {
    return Map.of(
        "event_name",
        name,
        "user_identifier",
        user,
        "timestamp",
        at.toString(),
        "metadata",
        metadata);
  }
}
