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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/v1/apps/{app_id}/funnels/{funnel_id}/users/{user_identifier}/trace} on the
 * running application: events and an identify go in through the ingest API, the loader merges them,
 * and the trace explains where each person stopped.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FunnelTraceIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  static final String FUNNEL =
      """
      {"name": "signup", "window_seconds": 3600, "order": "ordered",
       "steps": [{"event_name": "visit"},
                 {"event_name": "signup", "filters": [{"property": "plan", "op": "in", "value": ["pro", "team"]}]},
                 {"event_name": "purchase"}]}
      """;

  static final String ANON = "anon a+1";

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void droppedPersonsAreExplainedByAnyOfTheirIdentifiers() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long funnel = createFunnel(http, t);
    Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    send(
        http,
        t,
        List.of(
            // user-a (visiting as ANON): visit, signup as pro, then the purchase 30 s too late.
            event(ANON, "visit", t0, Map.of()),
            event("user-a", "signup", t0.plusSeconds(60), Map.of("plan", "pro")),
            event("user-a", "purchase", t0.plusSeconds(3630), Map.of()),
            // user-b: signs up on the free plan, which the step does not take.
            event("user-b", "visit", t0, Map.of()),
            event("user-b", "signup", t0.plusSeconds(10), Map.of("plan", "free"))));
    Http.Response identified =
        http.post("/api/v1/identify")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("anonymous_id", ANON, "user_identifier", "user-a"))
            .send();
    assertEquals(200, identified.status(), identified::toString);

    JsonNode a =
        await(
            http,
            t,
            funnel,
            ANON,
            "",
            j -> j.get("watermark").get("identity_version").asLong() > 0);
    assertEquals("user-a", a.get("user_identifier").asText());
    assertEquals(ANON, a.get("identifier").asText());
    assertEquals(1, a.get("reached_step").asInt(), a::toString);
    assertEquals(t0.toString(), a.get("entered_at").asText());
    JsonNode chain = a.get("chain");
    assertEquals(2, chain.size(), a::toString);
    assertEquals("visit", chain.get(0).get("event_name").asText());
    assertEquals(ANON, chain.get(0).get("user_identifier").asText());
    assertEquals(t0.plusSeconds(60).toString(), chain.get(1).get("time").asText());
    JsonNode next = a.get("next_step");
    assertEquals(2, next.get("step").asInt());
    assertEquals("purchase", next.get("event_name").asText());
    JsonNode late = next.get("candidates").get(0);
    assertEquals("outside_window", late.get("reason").asText(), a::toString);
    assertEquals(30.0, late.get("excess_seconds").asDouble(), 1e-9);
    assertEquals(t0.plusSeconds(3600).toString(), late.get("window_end").asText());
    assertEquals(t0.plusSeconds(3630).toString(), late.get("time").asText());
    assertTrue(a.get("watermark").get("events").asLong() >= 5, a::toString);
    assertTrue(a.has("computed_at"));
    // The person's own identifier gives the same chain.
    JsonNode byUser = get(http, t, funnel, "user-a", "");
    assertEquals("user-a", byUser.get("identifier").asText());
    assertEquals(chain, byUser.get("chain"));

    JsonNode b = get(http, t, funnel, "user-b", "");
    assertEquals(0, b.get("reached_step").asInt(), b::toString);
    JsonNode free = b.get("next_step").get("candidates").get(0);
    assertEquals("filter_mismatch", free.get("reason").asText(), b::toString);
    assertEquals("plan", free.get("property").asText());
    assertEquals("in", free.get("op").asText());
    assertEquals("event", free.get("source").asText());
    assertEquals(
        List.of("pro", "team"),
        List.of(free.get("values").get(0).asText(), free.get("values").get(1).asText()));
    assertEquals("free", free.get("actual").asText());

    // The report's parameters apply: an entry range that starts after the visit.
    String range = "?from=" + t0.plusSeconds(1) + "&to=" + t0.plusSeconds(7200) + "&limit=1";
    JsonNode ranged = get(http, t, funnel, "user-b", range);
    assertEquals(-1, ranged.get("reached_step").asInt(), ranged::toString);
    // A funnel without cohorts lets everybody in.
    assertEquals(true, ranged.get("population").get("in_population").asBoolean());
    assertTrue(ranged.get("entered_at").isNull());
    assertEquals(0, ranged.get("chain").size());
    JsonNode outside = ranged.get("next_step").get("candidates");
    assertEquals(1, outside.size());
    assertEquals("outside_date_range", outside.get(0).get("reason").asText());
    assertEquals(t0.plusSeconds(1).toString(), outside.get(0).get("from").asText());
  }

  @Test
  void aPersonAnExcludedCohortLeavesOutIsCountedAtNoStepAndToldWhy() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    send(
        http,
        t,
        List.of(
            event("staff-c", "visit", t0, Map.of()),
            event("staff-c", "signup", t0.plusSeconds(60), Map.of("plan", "pro")),
            event("user-d", "visit", t0, Map.of()),
            event("user-d", "signup", t0.plusSeconds(60), Map.of("plan", "team"))));
    awaitEntered(http, t, FUNNEL, 2);
    Http.Response cohort =
        http.post("/api/v1/apps/" + t.appId() + "/cohorts")
            .bearer(t.managementToken())
            .json(Map.of("name", "staff", "user_identifiers", List.of("staff-c")))
            .send();
    assertEquals(201, cohort.status(), cohort::toString);
    long cohortId = cohort.json().get("cohort_id").asLong();
    String restricted =
        FUNNEL.strip().replaceFirst("}$", ", \"cohorts\": {\"exclude\": [" + cohortId + "]}}");
    Http.Response created =
        http.post("/api/v1/apps/" + t.appId() + "/funnels")
            .bearer(t.managementToken())
            .body(restricted)
            .send();
    assertEquals(201, created.status(), created::toString);
    long funnel = created.json().get("funnel_id").asLong();
    // The cohort is loaded once the report leaves its member out.
    awaitEntered(http, t, restricted, 1);

    JsonNode staff = get(http, t, funnel, "staff-c", "");
    assertEquals(-1, staff.get("reached_step").asInt(), staff::toString);
    assertTrue(staff.get("entered_at").isNull());
    assertEquals(0, staff.get("chain").size());
    JsonNode population = staff.get("population");
    assertEquals(false, population.get("in_population").asBoolean(), staff::toString);
    assertEquals("in_excluded_cohort", population.get("reason").asText());
    assertEquals(cohortId, population.get("cohort_id").asLong());
    assertEquals(0, staff.get("next_step").get("step").asInt());
    assertEquals(0, staff.get("next_step").get("candidates").size(), staff::toString);
    assertEquals(0, staff.get("events_read").asInt());

    JsonNode user = get(http, t, funnel, "user-d", "");
    assertEquals(1, user.get("reached_step").asInt(), user::toString);
    assertEquals(true, user.get("population").get("in_population").asBoolean());
    assertTrue(user.get("population").path("reason").isMissingNode(), user::toString);
  }

  /** Waits until the ad-hoc report of {@code definition} has {@code users} at its first step. */
  private static void awaitEntered(Http http, Tenants.TenantApp t, String definition, long users)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Http.Response last = null;
    while (System.nanoTime() < deadline) {
      last =
          http.post("/api/v1/apps/" + t.appId() + "/funnels/report")
              .bearer(t.managementToken())
              .body(definition)
              .send();
      assertEquals(200, last.status(), last::toString);
      if (last.json().get("steps").get(0).get("users").asLong() == users) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the report never counted " + users + ": " + last);
  }

  @Test
  void unknownPersonsFunnelsOtherTenantsAndBadParametersAreRefused() {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    Tenants.TenantApp other = Tenants.create(http);
    long funnel = createFunnel(http, t);
    long othersFunnel = createFunnel(http, other);
    String path = "/api/v1/apps/" + t.appId() + "/funnels/" + funnel + "/users/";
    assertError(
        http.get(path + encode("nobody here") + "/trace").bearer(t.managementToken()).send(),
        404,
        "person_not_found");
    assertError(
        http.get("/api/v1/apps/" + t.appId() + "/funnels/" + othersFunnel + "/users/x/trace")
            .bearer(t.managementToken())
            .send(),
        404,
        "funnel_not_found");
    assertError(
        http.get(path + "x/trace").bearer(other.managementToken()).send(), 404, "app_not_found");
    assertError(http.get(path + "x/trace").send(), 401, "unauthorized");
    assertError(
        http.get(path + "x/trace?limit=0").bearer(t.managementToken()).send(),
        400,
        "invalid_parameter");
    assertError(
        http.get(path + "x/trace?limit=many").bearer(t.managementToken()).send(),
        400,
        "invalid_parameter");
    assertError(
        http.get(path + "x/trace?from=yesterday").bearer(t.managementToken()).send(),
        422,
        "invalid_funnel");
    assertError(
        http.get(path + "x/trace?mode=sideways").bearer(t.managementToken()).send(),
        422,
        "invalid_funnel");
  }

  private static long createFunnel(Http http, Tenants.TenantApp t) {
    Http.Response created =
        http.post("/api/v1/apps/" + t.appId() + "/funnels")
            .bearer(t.managementToken())
            .body(FUNNEL)
            .send();
    assertEquals(201, created.status(), created::toString);
    return created.json().get("funnel_id").asLong();
  }

  private static void send(Http http, Tenants.TenantApp t, List<Map<String, Object>> events) {
    Http.Response sent =
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", events))
            .send();
    assertEquals(events.size(), sent.json().get("accepted").asInt(), sent::toString);
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

  private static String encode(String identifier) {
    return URLEncoder.encode(identifier, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String url(Tenants.TenantApp t, long funnel, String identifier, String query) {
    return "/api/v1/apps/"
        + t.appId()
        + "/funnels/"
        + funnel
        + "/users/"
        + encode(identifier)
        + "/trace"
        + query;
  }

  private static JsonNode get(
      Http http, Tenants.TenantApp t, long funnel, String identifier, String query) {
    Http.Response response =
        http.get(url(t, funnel, identifier, query)).bearer(t.managementToken()).send();
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  /** The trace once the loader has got the person to {@code ready} (404 until it is loaded). */
  private static JsonNode await(
      Http http,
      Tenants.TenantApp t,
      long funnel,
      String identifier,
      String query,
      Predicate<JsonNode> ready)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Http.Response last = null;
    while (System.nanoTime() < deadline) {
      last = http.get(url(t, funnel, identifier, query)).bearer(t.managementToken()).send();
      if (last.status() == 200 && ready.test(last.json())) {
        return last.json();
      }
      assertTrue(last.status() == 200 || last.status() == 404, last::toString);
      Thread.sleep(100);
    }
    throw new AssertionError("trace never got ready: " + last);
  }
}
