package io.tracetics.funnels;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Steps with alternatives ({@code any_of}) and step names through the real API. */
@ExtendWith(DropwizardExtensionsSupport.class)
class StepAlternativesIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  static final String CHECKOUT =
      """
      {"name": "checkout anywhere", "window_seconds": 3600,
       "steps": [{"event_name": "view"},
                 {"name": "checkout",
                  "any_of": [{"event_name": "checkout_web"},
                             {"event_name": "checkout_app",
                              "filters": [{"property": "store", "op": "eq", "value": "ios"}]}]},
                 {"event_name": "paid"}]}
      """;

  @Test
  void aSavedFunnelWithAlternativesRoundTripsAndCountsEachAlternative() throws Exception {
    Http http = new Http(APP.getLocalPort());
    Tenants.TenantApp t = Tenants.create(http);
    long t0 = System.currentTimeMillis() - 60_000;
    List<EventWriter.Event> events = new ArrayList<>();
    events.add(ev("web", "view", t0, null));
    events.add(ev("web", "checkout_web", t0 + 1_000, null));
    events.add(ev("web", "paid", t0 + 2_000, null));
    events.add(ev("ios", "view", t0, null));
    events.add(ev("ios", "checkout_app", t0 + 1_000, "{\"store\": \"ios\"}"));
    events.add(ev("android", "view", t0, null));
    events.add(ev("android", "checkout_app", t0 + 1_000, "{\"store\": \"play\"}"));
    EventWriter.writeBatch(t.appId(), events, 0, false);
    Reports.awaitLoaded(APP, t.appId(), events.size());

    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    Http.Response created = http.post(base).bearer(t.managementToken()).body(CHECKOUT).send();
    assertEquals(201, created.status(), created::toString);
    JsonNode saved = created.json();
    JsonNode step = saved.get("steps").get(1);
    assertEquals("checkout", step.get("name").asText());
    assertEquals(2, step.get("any_of").size());
    assertFalse(step.has("event_name"), step::toString);
    assertEquals("ios", step.get("any_of").get(1).get("filters").get(0).get("value").asText());
    long id = saved.get("funnel_id").asLong();
    JsonNode got = http.get(base + "/" + id).bearer(t.managementToken()).send().json();
    assertEquals(saved.get("steps"), got.get("steps"));

    JsonNode report =
        http.get(base + "/" + id + "/report").bearer(t.managementToken()).send().json();
    JsonNode steps = report.get("steps");
    assertEquals(List.of(3L, 2L, 1L), Reports.users(steps));
    JsonNode checkout = steps.get(1);
    assertEquals("checkout", checkout.get("name").asText());
    assertEquals("checkout_web", checkout.get("event_name").asText());
    assertEquals(2, checkout.get("alternatives").size());
    assertEquals("checkout_web", checkout.get("alternatives").get(0).get("event_name").asText());
    assertEquals(1, checkout.get("alternatives").get(0).get("users").asLong());
    assertEquals("checkout_app", checkout.get("alternatives").get(1).get("event_name").asText());
    assertEquals(1, checkout.get("alternatives").get(1).get("users").asLong());
    assertEquals("view", steps.get(0).get("name").asText());
    assertFalse(steps.get(0).has("alternatives"));

    // Unordered reports count completed steps, not a given step: no per-alternative numbers.
    JsonNode unordered =
        http.get(base + "/" + id + "/report?mode=unordered")
            .bearer(t.managementToken())
            .send()
            .json();
    assertEquals(List.of(3L, 2L, 1L), Reports.users(unordered.get("steps")));
    assertFalse(unordered.get("steps").get(1).has("alternatives"));
  }

  @Test
  void badAlternativesAre422OnTheFieldAndStoreNothing() throws Exception {
    Http http = new Http(APP.getLocalPort());
    Tenants.TenantApp t = Tenants.create(http);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    String b = "{\"event_name\": \"b\"}";
    assertViolation(http, t, base, "{\"any_of\": []}", "empty_any_of", "steps[0].any_of");
    assertViolation(
        http,
        t,
        base,
        "{\"event_name\": \"a\", \"any_of\": [" + b + "]}",
        "step_event_conflict",
        "steps[0]");
    assertViolation(
        http, t, base, "{\"name\": \"nothing\"}", "missing_event_name", "steps[0].event_name");
    assertViolation(
        http,
        t,
        base,
        "{\"any_of\": [" + b + ", " + b + "]}",
        "invalid_any_of",
        "steps[0].any_of[1]");
    assertViolation(
        http,
        t,
        base,
        "{\"any_of\": [{\"event_name\": \"\"}, " + b + "]}",
        "bad_event_name",
        "steps[0].any_of[0].event_name");
    try (Connection c = TestServers.get().connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT COUNT(*) FROM funnels WHERE app_id = " + t.appId())) {
      rs.next();
      assertEquals(0, rs.getLong(1));
    }
  }

  private static void assertViolation(
      Http http, Tenants.TenantApp t, String base, String firstStep, String code, String field) {
    String body = "{\"name\": \"x\", \"steps\": [" + firstStep + ", {\"event_name\": \"c\"}]}";
    JsonNode error =
        assertError(
            http.post(base).bearer(t.managementToken()).body(body).send(), 422, "invalid_funnel");
    JsonNode v = error.get("violations").get(0);
    assertEquals(code, v.get("code").asText(), error::toString);
    assertEquals(field, v.get("field").asText(), error::toString);
  }

  private static EventWriter.Event ev(String user, String name, long time, String metadata) {
    return new EventWriter.Event(user, name, time, metadata);
  }
}
