package io.tracetics.cohorts;

import static io.tracetics.testing.ApiAssertions.assertError;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cohorts over real HTTP, MariaDB, the pipeline and DuckDB. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CohortsIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http() {
    return new Http(APP.getLocalPort());
  }

  AnalyticsStore store() {
    return ((TraceticsApplication) APP.getApplication()).analyticsStore();
  }

  private static String base(Tenants.TenantApp t) {
    return "/api/v1/apps/" + t.appId() + "/cohorts";
  }

  private static Http.Response create(Http http, Tenants.TenantApp t, String name, List<?> ids) {
    return http.post(base(t))
        .bearer(t.managementToken())
        .json(Map.of("name", name, "user_identifiers", ids))
        .send();
  }

  private static long createdId(Http http, Tenants.TenantApp t, String name, List<?> ids) {
    Http.Response created = create(http, t, name, ids);
    assertEquals(201, created.status(), created::toString);
    return created.json().get("cohort_id").asLong();
  }

  @Test
  void aCohortFromAListHasItsDistinctMembersInPagesInTheOrderGiven() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long t0 = System.currentTimeMillis() - 60_000;
    EventWriter.writeBatch(
        t.appId(), List.of(new EventWriter.Event("u2", "visit", t0, null)), 0, false);
    awaitEvents(t.appId(), 1);

    Http.Response created =
        create(http, t, "  Beta testers ", List.of("u3", "u1", "u3", "u2", "u5", "u4", "u1"));
    assertEquals(201, created.status(), created::toString);
    JsonNode cohort = created.json();
    long id = cohort.get("cohort_id").asLong();
    assertEquals(base(t) + "/" + id, java.net.URI.create(created.header("Location")).getPath());
    assertEquals("Beta testers", cohort.get("name").asText());
    assertEquals(5, cohort.get("member_count").asInt());
    assertEquals(t.appId(), cohort.get("app_id").asLong());
    assertTrue(cohort.get("created_at").isTextual());

    assertEquals(cohort, http.get(base(t) + "/" + id).bearer(t.managementToken()).send().json());
    JsonNode list = http.get(base(t)).bearer(t.managementToken()).send().json();
    assertEquals(1, list.get("cohorts").size());
    assertEquals(id, list.get("cohorts").get(0).get("cohort_id").asLong());

    List<String> members = new ArrayList<>();
    List<Boolean> known = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path =
          base(t) + "/" + id + "/members?limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
      Http.Response page = http.get(path).bearer(t.managementToken()).send();
      assertEquals(200, page.status(), page::toString);
      page.json()
          .get("members")
          .forEach(
              m -> {
                members.add(m.get("user_identifier").asText());
                known.add(m.get("known").asBoolean());
              });
      JsonNode next = page.json().get("next_cursor");
      cursor = next.isNull() ? null : next.asText();
      pages++;
    } while (cursor != null);
    assertEquals(List.of("u3", "u1", "u2", "u5", "u4"), members);
    assertEquals(List.of(false, false, true, false, false), known);
    assertEquals(3, pages);

    assertError(
        http.get(base(t) + "/" + id + "/members?cursor=not-a-cursor")
            .bearer(t.managementToken())
            .send(),
        400,
        "invalid_parameter");
    assertError(
        http.get(base(t) + "/" + id + "/members?limit=0").bearer(t.managementToken()).send(),
        400,
        "invalid_parameter");
  }

  @Test
  void funnelsCountExactlyThePersonsTheirCohortsLetIn() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long t0 = System.currentTimeMillis() - 60_000;
    List<EventWriter.Event> events = new ArrayList<>();
    // a, b, c: visit and signup; d: visit and signup; e: visit only.
    for (String user : List.of("a", "b", "c", "d")) {
      events.add(new EventWriter.Event(user, "visit", t0, null));
      events.add(new EventWriter.Event(user, "signup", t0 + 1_000, null));
    }
    events.add(new EventWriter.Event("e", "visit", t0, null));
    EventWriter.writeBatch(t.appId(), events, 0, false);
    awaitEvents(t.appId(), events.size());

    long ab = createdId(http, t, "a and b", List.of("a", "b", "nobody-yet"));
    long be = createdId(http, t, "b and e", List.of("b", "e"));
    String funnels = "/api/v1/apps/" + t.appId() + "/funnels";
    assertEquals(List.of(5L, 4L), awaitReport(http, t, funnels, "", List.of(5L, 4L)));
    assertEquals(
        List.of(2L, 2L),
        awaitReport(http, t, funnels, cohorts(List.of(ab), List.of()), List.of(2L, 2L)));
    // Several included cohorts: their union.
    assertEquals(
        List.of(3L, 2L),
        awaitReport(http, t, funnels, cohorts(List.of(ab, be), List.of()), List.of(3L, 2L)));
    // Excluded: members of any of them are left out.
    assertEquals(
        List.of(3L, 2L),
        awaitReport(http, t, funnels, cohorts(List.of(), List.of(ab)), List.of(3L, 2L)));
    assertEquals(
        List.of(2L, 2L),
        awaitReport(http, t, funnels, cohorts(List.of(), List.of(ab, be)), List.of(2L, 2L)));
    assertEquals(
        List.of(1L, 0L),
        awaitReport(http, t, funnels, cohorts(List.of(be), List.of(ab)), List.of(1L, 0L)));

    // Saved with the definition; the saved report is restricted the same way.
    Http.Response saved =
        http.post(funnels)
            .bearer(t.managementToken())
            .body(definition("cohort funnel", cohorts(List.of(ab), List.of())))
            .send();
    assertEquals(201, saved.status(), saved::toString);
    assertEquals(ab, saved.json().get("cohorts").get("include").get(0).asLong());
    long funnelId = saved.json().get("funnel_id").asLong();
    String report = funnels + "/" + funnelId + "/report";
    JsonNode first = http.get(report).bearer(t.managementToken()).send().json();
    assertEquals(List.of(2L, 2L), users(first));
    assertEquals(
        ab,
        http.get(funnels + "/" + funnelId)
            .bearer(t.managementToken())
            .send()
            .json()
            .at("/cohorts/include/0")
            .asLong());

    // A later identify makes the member id nobody-yet an alias of d: membership resolves to
    // persons when the funnel runs, so d now counts.
    Http.Response identify =
        http.post("/api/v1/identify")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .body("{\"anonymous_id\": \"nobody-yet\", \"user_identifier\": \"d\"}")
            .send();
    assertEquals(200, identify.status(), identify::toString);
    assertEquals(
        List.of(3L, 3L),
        awaitReport(http, t, funnels, cohorts(List.of(ab), List.of()), List.of(3L, 3L)));

    // Deleted: the cohort leaves the analytic store, so the saved funnel counts nobody, and the
    // cached report is replaced once the deletion is loaded.
    assertEquals(204, http.delete(base(t) + "/" + ab).bearer(t.managementToken()).send().status());
    assertError(
        http.get(base(t) + "/" + ab).bearer(t.managementToken()).send(), 404, "cohort_not_found");
    assertError(
        http.get(base(t) + "/" + ab + "/members").bearer(t.managementToken()).send(),
        404,
        "cohort_not_found");
    assertError(
        http.delete(base(t) + "/" + ab).bearer(t.managementToken()).send(),
        404,
        "cohort_not_found");
    awaitUsers(http, t, report, List.of(0L, 0L));
    // A deleted cohort can no longer be named in a definition.
    JsonNode refused =
        assertError(
            http.post(funnels + "/report")
                .bearer(t.managementToken())
                .body(definition("x", cohorts(List.of(be), List.of(ab))))
                .send(),
            422,
            "invalid_funnel");
    assertEquals("unknown_cohort", refused.at("/violations/0/code").asText());
    assertEquals("cohorts.exclude[0]", refused.at("/violations/0/field").asText());
    assertEquals(1, refused.get("violations").size());
  }

  @Test
  void aCohortFromActorsHoldsThePeopleOfTheCellAndRestrictsAFunnelToThem() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long t0 = System.currentTimeMillis() - 60_000;
    List<EventWriter.Event> events = new ArrayList<>();
    // a, b: visit and signup; c, d: visit only.
    for (String user : List.of("a", "b", "c", "d")) {
      events.add(new EventWriter.Event(user, "visit", t0, null));
      if (user.equals("a") || user.equals("b")) {
        events.add(new EventWriter.Event(user, "signup", t0 + 1_000, null));
      }
    }
    EventWriter.writeBatch(t.appId(), events, 0, false);
    awaitEvents(t.appId(), events.size());
    String funnels = "/api/v1/apps/" + t.appId() + "/funnels";
    Http.Response saved =
        http.post(funnels).bearer(t.managementToken()).body(definition("signups", "")).send();
    assertEquals(201, saved.status(), saved::toString);
    long funnelId = saved.json().get("funnel_id").asLong();

    Http.Response dropped =
        http.post(base(t))
            .bearer(t.managementToken())
            .body(
                "{\"name\": \"dropped at signup\", \"from_actors\": {\"funnel_id\": "
                    + funnelId
                    + ", \"step\": 1, \"status\": \"dropped\"}}")
            .send();
    assertEquals(201, dropped.status(), dropped::toString);
    assertEquals(2, dropped.json().get("member_count").asInt());
    long cohortId = dropped.json().get("cohort_id").asLong();
    JsonNode members =
        http.get(base(t) + "/" + cohortId + "/members").bearer(t.managementToken()).send().json();
    List<String> ids = new ArrayList<>();
    members.get("members").forEach(m -> ids.add(m.get("user_identifier").asText()));
    assertEquals(List.of("c", "d"), ids.stream().sorted().toList());
    // The funnel restricted to them: two entered, nobody signed up.
    assertEquals(
        List.of(2L, 0L),
        awaitReport(http, t, funnels, cohorts(List.of(cohortId), List.of()), List.of(2L, 0L)));

    // Both sources, neither, a bad cell, another app's funnel: 4xx and nothing stored.
    assertError(
        http.post(base(t))
            .bearer(t.managementToken())
            .body(
                "{\"name\": \"x\", \"user_identifiers\": [\"a\"], \"from_actors\": {\"funnel_id\": "
                    + funnelId
                    + ", \"step\": 0}}")
            .send(),
        400,
        "invalid_cohort");
    assertError(
        http.post(base(t)).bearer(t.managementToken()).body("{\"name\": \"x\"}").send(),
        400,
        "invalid_cohort");
    assertError(
        http.post(base(t))
            .bearer(t.managementToken())
            .body(
                "{\"name\": \"x\", \"from_actors\": {\"funnel_id\": "
                    + funnelId
                    + ", \"step\": 0, \"status\": \"dropped\"}}")
            .send(),
        400,
        "invalid_actors_request");
    Tenants.TenantApp other = Tenants.create(http);
    assertError(
        http.post(base(other))
            .bearer(other.managementToken())
            .body(
                "{\"name\": \"x\", \"from_actors\": {\"funnel_id\": "
                    + funnelId
                    + ", \"step\": 0}}")
            .send(),
        404,
        "funnel_not_found");
    JsonNode list = http.get(base(t)).bearer(t.managementToken()).send().json();
    assertEquals(1, list.get("cohorts").size(), list::toString);
  }

  @Test
  void anotherTenantsCohortIsNotFoundAndCannotBeNamedInAFunnel() {
    Http http = http();
    Tenants.TenantApp alice = Tenants.create(http);
    Tenants.TenantApp bob = Tenants.create(http);
    long id = createdId(http, alice, "alice's", List.of("x"));
    String bobsView = base(bob) + "/" + id;
    assertError(http.get(bobsView).bearer(bob.managementToken()).send(), 404, "cohort_not_found");
    assertError(
        http.get(bobsView + "/members").bearer(bob.managementToken()).send(),
        404,
        "cohort_not_found");
    assertError(
        http.delete(bobsView).bearer(bob.managementToken()).send(), 404, "cohort_not_found");
    assertEquals(
        0, http.get(base(bob)).bearer(bob.managementToken()).send().json().get("cohorts").size());
    // Alice's app with Bob's token: the app is not his.
    assertEquals(
        404, http.get(base(alice) + "/" + id).bearer(bob.managementToken()).send().status());
    assertError(http.get(base(bob) + "/abc").bearer(bob.managementToken()).send(), 404, null);
    String funnels = "/api/v1/apps/" + bob.appId() + "/funnels";
    JsonNode error =
        assertError(
            http.post(funnels)
                .bearer(bob.managementToken())
                .body(definition("bob", cohorts(List.of(id), List.of())))
                .send(),
            422,
            "invalid_funnel");
    assertEquals("cohorts.include[0]", error.at("/violations/0/field").asText());
    assertEquals(
        0, http.get(funnels).bearer(bob.managementToken()).send().json().get("funnels").size());
    // Alice's other app does not have it either.
    Http.Response other =
        http.post("/api/v1/apps")
            .bearer(alice.managementToken())
            .json(Map.of("name", "ios"))
            .send();
    assertEquals(201, other.status(), other::toString);
    assertError(
        http.get("/api/v1/apps/" + other.json().get("app_id").asLong() + "/cohorts/" + id)
            .bearer(alice.managementToken())
            .send(),
        404,
        "cohort_not_found");
    // Still there for Alice.
    assertEquals(
        200, http.get(base(alice) + "/" + id).bearer(alice.managementToken()).send().status());
  }

  @Test
  void badUploadsAre400AndStoreNothing() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i <= CohortRules.MAX_IDENTIFIERS; i++) {
      tooMany.add("user-" + i);
    }
    JsonNode error = assertError(create(http, t, "big", tooMany), 400, "too_many_identifiers");
    assertEquals(CohortRules.MAX_IDENTIFIERS, error.get("max_identifiers").asInt());
    assertError(create(http, t, "empty id", List.of("a", "")), 400, "invalid_identifier");
    assertError(
        create(http, t, "long id", List.of("a", "x".repeat(256))), 400, "invalid_identifier");
    assertError(create(http, t, "  ", List.of("a")), 400, "invalid_cohort");
    assertError(
        http.post(base(t)).bearer(t.managementToken()).body("{\"name\": \"no list\"}").send(),
        400,
        "invalid_cohort");
    assertError(
        http.post(base(t))
            .bearer(t.managementToken())
            .body("{\"name\": \"n\", \"user_identifiers\": [1, 2]}")
            .send(),
        400,
        "invalid_json_shape");
    assertEquals(0, rows("SELECT COUNT(*) FROM cohorts WHERE app_id = ?", t.appId()));
    assertEquals(0, rows("SELECT COUNT(*) FROM cohort_changes WHERE app_id = ?", t.appId()));
    // The maximum itself is taken.
    Http.Response max = create(http, t, "max", tooMany.subList(0, CohortRules.MAX_IDENTIFIERS));
    assertEquals(201, max.status(), max::toString);
    assertEquals(CohortRules.MAX_IDENTIFIERS, max.json().get("member_count").asInt());
  }

  @Test
  void theCohortLimitIsA403AndDeletingMakesRoom() {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(createdId(http, t, "c" + i, List.of("u" + i)));
    }
    JsonNode usage = http.get("/api/v1/usage").bearer(t.managementToken()).send().json();
    assertEquals(5, usage.at("/cohorts/used").asInt(), usage::toString);
    assertEquals(5, usage.at("/cohorts/limit").asInt(), usage::toString);
    JsonNode error =
        assertError(create(http, t, "sixth", List.of("x")), 403, "cohort_limit_reached");
    assertTrue(error.get("message").asText().startsWith("Cohort limit reached"), error::toString);
    assertEquals(5, error.get("limit").asInt());
    assertEquals("free", error.get("plan").asText());
    assertEquals(
        204, http.delete(base(t) + "/" + ids.get(0)).bearer(t.managementToken()).send().status());
    assertEquals(201, create(http, t, "sixth", List.of("x")).status());
    JsonNode plan = http.get("/api/v1/tenant").bearer(t.managementToken()).send().json();
    assertEquals(5, plan.at("/plan/max_cohorts").asInt(), plan::toString);
  }

  private static String cohorts(List<Long> include, List<Long> exclude) {
    return ", \"cohorts\": {\"include\": " + include + ", \"exclude\": " + exclude + "}";
  }

  private static String definition(String name, String cohorts) {
    return "{\"name\": \""
        + name
        + "\", \"window_seconds\": 3600, \"steps\": [{\"event_name\": \"visit\"},"
        + " {\"event_name\": \"signup\"}]"
        + cohorts
        + "}";
  }

  /** The ad-hoc report of visit -> signup with {@code cohorts}, once it shows {@code expected}. */
  private static List<Long> awaitReport(
      Http http, Tenants.TenantApp t, String funnels, String cohorts, List<Long> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<Long> got = null;
    while (System.nanoTime() < deadline) {
      Http.Response report =
          http.post(funnels + "/report")
              .bearer(t.managementToken())
              .body(definition("adhoc", cohorts))
              .send();
      assertEquals(200, report.status(), report::toString);
      got = users(report.json());
      if (got.equals(expected)) {
        return got;
      }
      Thread.sleep(100);
    }
    return got;
  }

  private static JsonNode awaitUsers(
      Http http, Tenants.TenantApp t, String path, List<Long> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode report = null;
    while (System.nanoTime() < deadline) {
      report = http.get(path).bearer(t.managementToken()).send().json();
      if (users(report).equals(expected)) {
        return report;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("report never reached " + expected + ": " + report);
  }

  private void awaitEvents(long appId, long count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (store().count(appId) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("events not loaded");
      }
      Thread.sleep(50);
    }
  }

  private static List<Long> users(JsonNode report) {
    List<Long> users = new ArrayList<>();
    report.get("steps").forEach(step -> users.add(step.get("users").asLong()));
    return users;
  }

  private static long rows(String sql, long appId) throws Exception {
    try (Connection c = TestServers.get().connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, appId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
