package io.tracetics.funnels;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsApplication;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.engine.exec.FunnelExecutor;
import io.tracetics.engine.exec.FunnelResult;
import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class FunnelsIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  static final String SIGNUP_FUNNEL =
      """
      {"name": "signup", "window_seconds": 3600, "order": "ordered",
       "steps": [{"event_name": "visit"},
                 {"event_name": "signup", "filters": [{"property": "plan", "op": "in", "value": ["pro", "team"]}]},
                 {"event_name": "purchase"}],
       "breakdown": "source"}
      """;

  Http http() {
    return new Http(APP.getLocalPort());
  }

  AnalyticsStore store() {
    return ((TraceticsApplication) APP.getApplication()).analyticsStore();
  }

  @Test
  void crudRoundTripsTheDefinition() {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    Http.Response created = http.post(base).bearer(t.managementToken()).body(SIGNUP_FUNNEL).send();
    assertEquals(201, created.status(), created::toString);
    JsonNode funnel = created.json();
    long id = funnel.get("funnel_id").asLong();
    assertEquals("signup", funnel.get("name").asText());
    assertEquals(3600, funnel.get("window_seconds").asLong());
    assertEquals("in", funnel.get("steps").get(1).get("filters").get(0).get("op").asText());
    assertEquals(
        "team", funnel.get("steps").get(1).get("filters").get(0).get("value").get(1).asText());
    assertEquals(1, funnel.get("version").asInt());

    assertEquals(1, http.get(base).bearer(t.managementToken()).send().json().get("funnels").size());
    JsonNode got = http.get(base + "/" + id).bearer(t.managementToken()).send().json();
    assertEquals(funnel.get("steps"), got.get("steps"));

    String renamed = SIGNUP_FUNNEL.replace("\"signup\", \"window", "\"renamed\", \"window");
    JsonNode updated =
        http.put(base + "/" + id).bearer(t.managementToken()).body(renamed).send().json();
    assertEquals("renamed", updated.get("name").asText());
    assertEquals(2, updated.get("version").asInt());

    assertEquals(204, http.delete(base + "/" + id).bearer(t.managementToken()).send().status());
    assertError(
        http.get(base + "/" + id).bearer(t.managementToken()).send(), 404, "funnel_not_found");
    assertError(http.get(base + "/abc").bearer(t.managementToken()).send(), 404, null);
  }

  @Test
  void invalidDefinitionsAre422AndStoreNothing() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    List<String> bad =
        List.of(
            "{\"name\": \"x\", \"steps\": [{\"event_name\": \"a\"}]}",
            "{\"name\": \"x\", \"window_seconds\": 0, \"steps\": [{\"event_name\": \"a\"}, {\"event_name\": \"b\"}]}",
            "{\"name\": \"x\", \"order\": \"sideways\", \"steps\": [{\"event_name\": \"a\"}, {\"event_name\": \"b\"}]}",
            "{\"name\": \"x\", \"steps\": [{\"event_name\": \"a\", \"filters\": [{\"property\": \"p\", \"op\": \"like\", \"value\": 1}]}, {\"event_name\": \"b\"}]}",
            "{\"name\": \"x\", \"steps\": [{\"event_name\": \"a\"}, {\"event_name\": \"b\"}], \"exclusions\": [{\"event_name\": \"c\", \"from_step\": 0, \"to_step\": 5}]}",
            "{\"name\": \"x\", \"steps\": [{\"event_name\": \"a\"}, {\"event_name\": \"b\"}], \"from\": \"yesterday\"}");
    for (String body : bad) {
      JsonNode error =
          assertError(
              http.post(base).bearer(t.managementToken()).body(body).send(), 422, "invalid_funnel");
      assertTrue(error.get("violations").size() >= 1, error::toString);
    }
    assertError(
        http.post(base)
            .bearer(t.managementToken())
            .body("{\"steps\": [{\"event_name\": \"a\"}, {\"event_name\": \"b\"}]}")
            .send(),
        422,
        "validation_failed");
    assertError(
        http.post(base).bearer(t.managementToken()).body("{\"name\": 5}").send(),
        400,
        "invalid_json_shape");
    try (Connection c = TestServers.get().connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT COUNT(*) FROM funnels WHERE app_id = " + t.appId())) {
      rs.next();
      assertEquals(0, rs.getLong(1));
    }
  }

  @Test
  void funnelLimitIsA403NamingTheLimitAndPlan() {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    for (int i = 0; i < 5; i++) {
      assertEquals(
          201, http.post(base).bearer(t.managementToken()).body(SIGNUP_FUNNEL).send().status());
    }
    JsonNode error =
        assertError(
            http.post(base).bearer(t.managementToken()).body(SIGNUP_FUNNEL).send(),
            403,
            "funnel_limit_reached");
    assertTrue(error.get("message").asText().startsWith("Funnel limit reached"), error::toString);
    assertEquals(5, error.get("limit").asInt());
    assertEquals("free", error.get("plan").asText());
  }

  @Test
  void anotherTenantsFunnelsAndReportsAreNotFound() {
    Http http = http();
    Tenants.TenantApp alice = Tenants.create(http);
    Tenants.TenantApp bob = Tenants.create(http);
    String aliceBase = "/api/v1/apps/" + alice.appId() + "/funnels";
    long id =
        http.post(aliceBase)
            .bearer(alice.managementToken())
            .body(SIGNUP_FUNNEL)
            .send()
            .json()
            .get("funnel_id")
            .asLong();
    assertError(http.get(aliceBase).bearer(bob.managementToken()).send(), 404, "app_not_found");
    assertError(
        http.get(aliceBase + "/" + id).bearer(bob.managementToken()).send(), 404, "app_not_found");
    assertError(
        http.get(aliceBase + "/" + id + "/report").bearer(bob.managementToken()).send(),
        404,
        "app_not_found");
    assertError(
        http.put(aliceBase + "/" + id).bearer(bob.managementToken()).body(SIGNUP_FUNNEL).send(),
        404,
        "app_not_found");
    assertError(
        http.delete(aliceBase + "/" + id).bearer(bob.managementToken()).send(),
        404,
        "app_not_found");
    assertError(
        http.post(aliceBase + "/report").bearer(bob.managementToken()).body(SIGNUP_FUNNEL).send(),
        404,
        "app_not_found");
    // Bob's own app with Alice's funnel id: still not found.
    assertError(
        http.get("/api/v1/apps/" + bob.appId() + "/funnels/" + id)
            .bearer(bob.managementToken())
            .send(),
        404,
        "funnel_not_found");
  }

  @Test
  void reportsMatchTheEngineAndSayHowFreshTheyAre() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long t0 = System.currentTimeMillis() - 60_000;
    List<EventWriter.Event> events = new ArrayList<>();
    // alice: full funnel; bob: visit + signup (pro); carol: visit + signup (free, filtered out);
    // dave: visit + purchase only; erin: visit, signup (team) 2 hours later (outside the window).
    events.add(ev("alice", "visit", t0, "{\"source\": \"ads\"}"));
    events.add(ev("alice", "signup", t0 + 10_000, "{\"plan\": \"pro\"}"));
    events.add(ev("alice", "purchase", t0 + 70_000, "{}"));
    events.add(ev("bob", "visit", t0, "{\"source\": \"seo\"}"));
    events.add(ev("bob", "signup", t0 + 5_000, "{\"plan\": \"team\"}"));
    events.add(ev("carol", "visit", t0, "{\"source\": \"ads\"}"));
    events.add(ev("carol", "signup", t0 + 5_000, "{\"plan\": \"free\"}"));
    events.add(ev("dave", "visit", t0, null));
    events.add(ev("dave", "purchase", t0 + 5_000, null));
    events.add(ev("erin", "visit", t0 - 7_300_000, "{\"source\": \"ads\"}"));
    events.add(ev("erin", "signup", t0, "{\"plan\": \"team\"}"));
    Reports.send(APP, t, events);

    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    long id = Reports.saveFunnel(http, t, SIGNUP_FUNNEL);
    Http.Response first = http.get(base + "/" + id + "/report").bearer(t.managementToken()).send();
    assertEquals(200, first.status(), first::toString);
    JsonNode report = first.json();
    assertEquals(List.of(5L, 2L, 1L), Reports.users(report.get("steps")));
    assertEquals(0.4, report.get("steps").get(1).get("conversion_from_first").asDouble(), 1e-9);
    assertEquals(3, report.get("steps").get(1).get("drop_off").asLong());
    assertEquals(
        60.0,
        report.get("steps").get(2).get("time_to_convert").get("median_seconds").asDouble(),
        1e-6);
    assertTrue(report.get("computed_at").isTextual());
    assertTrue(report.get("data_through").isTextual());

    // The same numbers as the engine computes for the same definition.
    FunnelApi.Definition def =
        APP.getObjectMapper().readValue(SIGNUP_FUNNEL, FunnelApi.Definition.class);
    FunnelQuery query =
        FunnelQueries.toQuery(t.appId(), FunnelService.normalize(def), ReportParams.NONE);
    FunnelResult engine = new FunnelExecutor().execute(store(), new FunnelPlanner().plan(query));
    assertEquals(
        List.of(engine.users()[0], engine.users()[1], engine.users()[2]),
        Reports.users(report.get("steps")));
    assertEquals(engine.breakdowns().size(), report.get("breakdowns").size());

    // Asked again with nothing new: the cached result, same computation time.
    JsonNode again =
        http.get(base + "/" + id + "/report").bearer(t.managementToken()).send().json();
    assertTrue(again.get("cached").asBoolean(), again::toString);
    assertEquals(report.get("steps"), again.get("steps"));

    // New events: once loaded, the report includes them (refreshed by the pipeline or live).
    EventWriter.writeBatch(t.appId(), List.of(ev("bob", "purchase", t0 + 20_000, null)), 0, false);
    Reports.awaitLoaded(APP, t.appId(), events.size() + 1);
    JsonNode fresh = awaitUsers(http, t, base + "/" + id + "/report", List.of(5L, 2L, 2L));
    assertNotEquals(report.get("computed_at"), fresh.get("computed_at"));

    // Other parameters are computed live: a day trend, strict mode, a different breakdown.
    JsonNode trend =
        http.get(base + "/" + id + "/report?interval=day&mode=strict&breakdown=plan")
            .bearer(t.managementToken())
            .send()
            .json();
    assertEquals(false, trend.get("cached").asBoolean());
    assertTrue(trend.get("trends").size() >= 1, trend::toString);

    // An unsaved definition gives the same report without saving anything.
    JsonNode adHoc =
        http.post(base + "/report").bearer(t.managementToken()).body(SIGNUP_FUNNEL).send().json();
    assertEquals(List.of(5L, 2L, 2L), Reports.users(adHoc.get("steps")));
    assertEquals(1, http.get(base).bearer(t.managementToken()).send().json().get("funnels").size());
  }

  @Test
  void globalFiltersApplyToEveryStepAndExclusion() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long t0 = System.currentTimeMillis() - 60_000;
    List<EventWriter.Event> events = new ArrayList<>();
    // ann: all in NO; ben: visit in NO, signup in SE; cy: all in SE; dag: NO with a NO refund.
    events.add(ev("ann", "visit", t0, "{\"country\": \"NO\"}"));
    events.add(ev("ann", "signup", t0 + 1_000, "{\"country\": \"NO\"}"));
    events.add(ev("ben", "visit", t0, "{\"country\": \"NO\"}"));
    events.add(ev("ben", "signup", t0 + 1_000, "{\"country\": \"SE\"}"));
    events.add(ev("cy", "visit", t0, "{\"country\": \"SE\"}"));
    events.add(ev("cy", "signup", t0 + 1_000, "{\"country\": \"SE\"}"));
    events.add(ev("dag", "visit", t0, "{\"country\": \"NO\"}"));
    events.add(ev("dag", "refund", t0 + 500, "{\"country\": \"NO\"}"));
    events.add(ev("dag", "signup", t0 + 1_000, "{\"country\": \"NO\"}"));
    events.add(ev("ben", "refund", t0 + 500, "{\"country\": \"SE\"}"));
    Reports.send(APP, t, events);
    String global =
        """
        {"name": "norway", "window_seconds": 3600,
         "steps": [{"event_name": "visit"}, {"event_name": "signup"}],
         "exclusions": [{"event_name": "refund", "from_step": 0, "to_step": 1}],
         "global_filters": [{"property": "country", "op": "eq", "value": "NO"}]}
        """;
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    JsonNode report =
        http.post(base + "/report").bearer(t.managementToken()).body(global).send().json();
    // Steps count only NO events (ben's SE signup does not fill step 2; cy never enters), and only
    // a NO refund excludes: dag's removes dag's attempt, ben's SE one leaves ben counted.
    assertEquals(List.of(2L, 1L), Reports.users(report.get("steps")), report::toString);
    Http.Response saved = http.post(base).bearer(t.managementToken()).body(global).send();
    assertEquals(201, saved.status(), saved::toString);
    assertEquals(
        "NO", saved.json().get("global_filters").get(0).get("value").asText(), saved::toString);
    JsonNode bad =
        assertError(
            http.post(base + "/report")
                .bearer(t.managementToken())
                .body(global.replace("\"op\": \"eq\"", "\"op\": \"like\""))
                .send(),
            422,
            "invalid_funnel");
    assertEquals(
        "global_filters[0].op", bad.get("violations").get(0).get("field").asText(), bad::toString);
  }

  private JsonNode awaitUsers(Http http, Tenants.TenantApp t, String path, List<Long> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode report = null;
    while (System.nanoTime() < deadline) {
      report = http.get(path).bearer(t.managementToken()).send().json();
      if (Reports.users(report.get("steps")).equals(expected)) {
        return report;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("report never reached " + expected + ": " + report);
  }

  private static EventWriter.Event ev(String user, String name, long time, String metadata) {
    return new EventWriter.Event(user, name, time, metadata);
  }
}
