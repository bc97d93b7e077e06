package io.tracetics.funnels;

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
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A funnel counting accounts ({@code count_by}) through the real API: events from several people
 * share an account, some have none; the saved funnel's report counts accounts and says how many
 * step events it left out, its actors are accounts (JSON pages with a cursor, CSV, Arrow), the
 * trace traces an account, and a cohort cannot be made of its actors.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CountByIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http() {
    return new Http(APP.getLocalPort());
  }

  record Fixture(Tenants.TenantApp t, long funnelId, Instant t0) {
    String funnels() {
      return "/api/v1/apps/" + t.appId() + "/funnels";
    }

    String saved(String path) {
      return funnels() + "/" + funnelId + path;
    }
  }

  /**
   * acme: alice views, bob carts, carol buys (three people, one account); beta: dave views and
   * carts without the account; 7 (a number): frank views; erin views with a JSON null account.
   * Unassigned step events: dave's cart and erin's view.
   */
  private Fixture fixture() throws InterruptedException {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    Map<String, Object> nullAccount = new HashMap<>();
    nullAccount.put("account", null);
    List<Map<String, Object>> events =
        List.of(
            event("alice", "view", t0, Map.of("account", "acme", "source", "ads")),
            event("bob", "cart", t0.plusSeconds(10), Map.of("account", "acme")),
            event("carol", "buy", t0.plusSeconds(20), Map.of("account", "acme")),
            event("dave", "view", t0.plusSeconds(1), Map.of("account", "beta", "source", "mail")),
            event("dave", "cart", t0.plusSeconds(5), Map.of()),
            event("frank", "view", t0.plusSeconds(2), Map.of("account", 7)),
            event("erin", "view", t0.plusSeconds(30), nullAccount));
    Http.Response sent =
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", events))
            .send();
    assertEquals(7, sent.json().get("accepted").asInt(), sent::toString);
    Map<String, Object> definition = new HashMap<>();
    definition.put("name", "accounts checkout");
    definition.put("window_seconds", 3600);
    definition.put(
        "steps",
        List.of(
            Map.of("event_name", "view"),
            Map.of("event_name", "cart"),
            Map.of("event_name", "buy")));
    definition.put("breakdown", "source");
    definition.put("count_by", Map.of("property", "account"));
    Http.Response saved =
        http.post("/api/v1/apps/" + t.appId() + "/funnels")
            .bearer(t.managementToken())
            .json(definition)
            .send();
    assertEquals(201, saved.status(), saved::toString);
    assertEquals("account", saved.json().get("count_by").get("property").asText());
    Fixture f = new Fixture(t, saved.json().get("funnel_id").asLong(), t0);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode report = report(f);
      if (report.get("watermark").get("events").asLong() == 7) {
        return f;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the events were never loaded");
  }

  private JsonNode report(Fixture f) {
    Http.Response r = http().get(f.saved("/report")).bearer(f.t().managementToken()).send();
    assertEquals(200, r.status(), r::toString);
    return r.json();
  }

  private JsonNode actors(Fixture f, String query) {
    Http.Response r =
        http().get(f.saved("/actors?" + query)).bearer(f.t().managementToken()).send();
    assertEquals(200, r.status(), r::toString);
    return r.json();
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("actors").forEach(a -> out.add(a.get("user_identifier").asText()));
    return out;
  }

  @Test
  void theReportActorsAndTraceAreOfAccounts() throws Exception {
    Fixture f = fixture();
    JsonNode report = report(f);
    List<Long> users = new ArrayList<>();
    report.get("steps").forEach(s -> users.add(s.get("users").asLong()));
    assertEquals(List.of(3L, 1L, 1L), users, report::toString);
    assertEquals("account", report.get("count_by").get("property").asText());
    assertEquals(2, report.get("count_by").get("unassigned_events").asLong());
    // Breakdown by the start event's source: acme (ads), beta (mail), 7 (not set).
    assertEquals(3, report.get("breakdowns").size(), report::toString);

    // Actors: accounts in value order, one per page.
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode p = actors(f, "step=0&limit=1" + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(3, p.get("total").asLong());
      paged.addAll(ids(p));
      cursor = p.get("next_cursor").isNull() ? null : p.get("next_cursor").asText();
    } while (cursor != null);
    assertEquals(List.of("7", "acme", "beta"), paged);
    JsonNode acme = actors(f, "step=2").get("actors").get(0);
    assertEquals("acme", acme.get("user_identifier").asText());
    assertEquals(2, acme.get("reached_step").asInt());
    assertEquals(f.t0(), Instant.parse(acme.get("entered_at").asText()));
    assertEquals(List.of("7", "beta"), ids(actors(f, "step=1&status=dropped")));
    assertEquals(List.of("acme"), ids(actors(f, "step=0&breakdown_value=ads")));
    assertEquals(List.of("7"), ids(actors(f, "step=0&breakdown_not_set=true")));
    // A person funnel's cursor does not continue an account list.
    assertError(
        http().get(f.saved("/actors?step=0&cursor=YTE6Nw")).bearer(f.t().managementToken()).send(),
        400,
        "invalid_cursor");

    Http.Response csv =
        http()
            .get(f.saved("/actors?step=0"))
            .bearer(f.t().managementToken())
            .header("Accept", "text/csv")
            .send();
    assertEquals(200, csv.status(), csv::toString);
    String[] lines = csv.text().split("\r\n");
    assertEquals("user_identifier,entered_at,reached_step,step_0_at,step_1_at,step_2_at", lines[0]);
    assertEquals(4, lines.length);
    assertTrue(lines[2].startsWith("acme," + f.t0().toString().replace("Z", ".000Z") + ",2,"));

    HttpResponse<byte[]> arrow =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:" + APP.getLocalPort() + f.saved("/actors?step=0")))
                    .header("Authorization", "Bearer " + f.t().managementToken())
                    .header("Accept", "application/vnd.apache.arrow.stream")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, arrow.statusCode(), () -> new String(arrow.body(), StandardCharsets.UTF_8));
    List<String> arrowIds = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader =
            new ArrowStreamReader(new ByteArrayInputStream(arrow.body()), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        VarCharVector ids = (VarCharVector) root.getVector("user_identifier");
        for (int i = 0; i < root.getRowCount(); i++) {
          arrowIds.add(new String(ids.get(i), StandardCharsets.UTF_8));
        }
      }
    }
    assertEquals(List.of("7", "acme", "beta"), arrowIds);

    // The trace of an account: its events, whoever sent them.
    Http.Response traced =
        http().get(f.saved("/users/acme/trace")).bearer(f.t().managementToken()).send();
    assertEquals(200, traced.status(), traced::toString);
    JsonNode trace = traced.json();
    assertEquals("acme", trace.get("user_identifier").asText());
    assertEquals("account", trace.get("count_by").get("property").asText());
    assertEquals(2, trace.get("reached_step").asInt());
    List<String> senders = new ArrayList<>();
    trace.get("chain").forEach(l -> senders.add(l.get("user_identifier").asText()));
    assertEquals(List.of("alice", "bob", "carol"), senders);
    JsonNode beta =
        http().get(f.saved("/users/beta/trace")).bearer(f.t().managementToken()).send().json();
    assertEquals(0, beta.get("reached_step").asInt());
    assertEquals(0, beta.get("next_step").get("candidates").size(), "dave's cart has no account");
    assertError(
        http().get(f.saved("/users/alice/trace")).bearer(f.t().managementToken()).send(),
        404,
        "unit_not_found");
  }

  @Test
  void refusals() throws Exception {
    Fixture f = fixture();
    Http http = http();
    // A cohort holds persons: not the accounts of a count_by funnel.
    JsonNode refused =
        assertError(
            http.post("/api/v1/apps/" + f.t().appId() + "/cohorts")
                .bearer(f.t().managementToken())
                .body(
                    "{\"name\": \"accounts\", \"from_actors\": {\"funnel_id\": "
                        + f.funnelId()
                        + ", \"step\": 0}}")
                .send(),
            422,
            "actors_not_persons");
    assertEquals("account", refused.get("count_by").asText());
    // count_by needs its property, a valid name.
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry("{}", "count_by_needs_property"),
            Map.entry("{\"property\": \"\"}", "bad_property_name"))) {
      JsonNode error =
          assertError(
              http.post(f.funnels() + "/report")
                  .bearer(f.t().managementToken())
                  .body(
                      "{\"steps\": [{\"event_name\": \"view\"}, {\"event_name\": \"cart\"}],"
                          + " \"count_by\": "
                          + bad.getKey()
                          + "}")
                  .send(),
              422,
              "invalid_funnel");
      assertEquals(bad.getValue(), error.get("violations").get(0).get("code").asText());
      assertEquals("count_by.property", error.get("violations").get(0).get("field").asText());
    }
    // An unsaved definition counts accounts too.
    Http.Response adHoc =
        http.post(f.funnels() + "/report")
            .bearer(f.t().managementToken())
            .body(
                "{\"steps\": [{\"event_name\": \"view\"}, {\"event_name\": \"cart\"}],"
                    + " \"window_seconds\": 3600, \"count_by\": {\"property\": \"account\"}}")
            .send();
    assertEquals(200, adHoc.status(), adHoc::toString);
    assertEquals(3, adHoc.json().get("steps").get(0).get("users").asLong());
    assertEquals(1, adHoc.json().get("steps").get(1).get("users").asLong());
    assertEquals(2, adHoc.json().get("count_by").get("unassigned_events").asLong());
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
