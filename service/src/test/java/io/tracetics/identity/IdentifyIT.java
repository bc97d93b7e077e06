package io.tracetics.identity;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Identify over HTTP: the links, their refusals, and a signup funnel across login. */
@ExtendWith(DropwizardExtensionsSupport.class)
class IdentifyIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  static final String SIGNUP =
      """
      {"name": "signup", "window_seconds": 86400, "order": "ordered",
       "steps": [{"event_name": "viewed_pricing"}, {"event_name": "signed_up"},
                 {"event_name": "upgraded"}]}
      """;

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void aSignupFunnelConvertsAcrossLoginOnceIdentified() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    Instant t0 = Instant.now().minusSeconds(3600);
    // Browsing anonymously, then signing up and upgrading as the user.
    send(http, t, event("anon-1", "viewed_pricing", t0));
    send(http, t, event("u_42", "signed_up", t0.plusSeconds(60)));
    send(http, t, event("u_42", "upgraded", t0.plusSeconds(600)));
    String report = "/api/v1/apps/" + t.appId() + "/funnels/report";
    JsonNode before = awaitUsers(http, t, report, List.of(1L, 0L, 0L));
    assertEquals(0.0, before.get("steps").get(2).get("conversion_from_first").asDouble());

    Http.Response identified =
        identify(
            http,
            t,
            "{\"anonymous_id\": \"anon-1\", \"user_identifier\": \"u_42\","
                + " \"traits\": {\"plan\": \"pro\"}}");
    assertEquals(200, identified.status(), identified::toString);
    assertTrue(identified.json().get("identified").asBoolean());
    assertFalse(identified.json().get("duplicate").asBoolean());

    JsonNode after = awaitUsers(http, t, report, List.of(1L, 1L, 1L));
    assertEquals(1.0, after.get("steps").get(2).get("conversion_from_first").asDouble());
  }

  @Test
  void aCachedReportIsNotServedAsCurrentAfterAMerge() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    Instant t0 = Instant.now().minusSeconds(3600);
    send(http, t, event("anon-2", "viewed_pricing", t0));
    send(http, t, event("u_7", "signed_up", t0.plusSeconds(60)));
    send(http, t, event("u_7", "upgraded", t0.plusSeconds(120)));
    awaitUsers(http, t, "/api/v1/apps/" + t.appId() + "/funnels/report", List.of(1L, 0L, 0L));
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    long id =
        http.post(base)
            .bearer(t.managementToken())
            .body(SIGNUP)
            .send()
            .json()
            .get("funnel_id")
            .asLong();
    String report = base + "/" + id + "/report";
    JsonNode first = http.get(report).bearer(t.managementToken()).send().json();
    assertEquals(0, first.get("watermark").get("identity_version").asLong(), first::toString);
    JsonNode cached = http.get(report).bearer(t.managementToken()).send().json();
    assertTrue(cached.get("cached").asBoolean(), cached::toString);

    assertEquals(200, identify(http, t, link("anon-2", "u_7")).status());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode after = null;
    while (System.nanoTime() < deadline) {
      after = http.get(report).bearer(t.managementToken()).send().json();
      if (after.get("watermark").get("identity_version").asLong() > 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(1, after.get("watermark").get("identity_version").asLong(), String.valueOf(after));
    assertEquals(1, after.get("steps").get(2).get("users").asLong(), String.valueOf(after));
  }

  @Test
  void theFirstLinkWinsAndRefusalsStoreNothing() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    assertEquals(200, identify(http, t, link("a1", "u1")).status());
    // The same link again: nothing new, still fine.
    assertEquals(200, identify(http, t, link("a1", "u1")).status());
    // Linking the alias to someone else: the first link wins.
    assertError(identify(http, t, link("a1", "u2")), 409, "already_identified");
    // A person with aliases is never merged into another.
    assertError(identify(http, t, link("u1", "u2")), 409, "already_identified");
    // A chain: linking to an alias goes to its person.
    assertEquals(200, identify(http, t, link("a2", "a1")).status());
    assertEquals("u1", personOf(t.appId(), "a2"));
    // Identifying an id as itself is a no-op.
    assertEquals(200, identify(http, t, link("u3", "u3")).status());
    assertEquals(2, count("SELECT COUNT(*) FROM identifies WHERE app_id = " + t.appId()));

    String longId = "x".repeat(256);
    assertError(identify(http, t, "{\"anonymous_id\": \"a9\"}"), 400, "missing_field");
    assertError(identify(http, t, "{\"user_identifier\": \"u9\"}"), 400, "missing_field");
    assertError(identify(http, t, link(longId, "u9")), 400, "invalid_length");
    assertError(identify(http, t, link("a9", longId)), 400, "invalid_length");
    assertError(
        identify(http, t, "{\"user_identifier\": \"u9\", \"anonymous_id\": \"a9\", \"traits\": 5}"),
        400,
        "invalid_traits");
    String big = "{\"k\": \"" + "v".repeat(17_000) + "\"}";
    assertError(
        identify(http, t, "{\"user_identifier\": \"u9\", \"traits\": " + big + "}"),
        400,
        "traits_too_large");
    assertError(
        http.post("/api/v1/identify")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", "ak_wrong")
            .body(link("a9", "u9"))
            .send(),
        401,
        "invalid_keys");
    assertEquals(2, count("SELECT COUNT(*) FROM identifies WHERE app_id = " + t.appId()));
    assertEquals(
        2,
        count(
            "SELECT COUNT(*) FROM identity_aliases WHERE app_id = "
                + t.appId()
                + " AND person = 'u1'"));
  }

  @Test
  void aBatchCarriesIdentifiesWithItsEventsAndRetriesAreStoredOnce() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    String body =
        """
        {"events": [
          {"event_name": "viewed_pricing", "user_identifier": "anon-b"},
          {"type": "identify", "anonymous_id": "anon-b", "user_identifier": "u_b", "event_id": "id-1"},
          {"type": "identify", "anonymous_id": "anon-b", "user_identifier": "u_other"},
          {"type": "alias", "user_identifier": "u_b"},
          {"event_name": "signed_up", "user_identifier": "u_b"}]}
        """;
    Http.Response first = batch(http, t, body);
    assertEquals(200, first.status(), first::toString);
    assertEquals(3, first.json().get("accepted").asInt(), first::toString);
    JsonNode rejected = first.json().get("rejected");
    assertEquals(2, rejected.size(), first::toString);
    assertEquals(2, rejected.get(0).get("index").asInt());
    assertEquals("already_identified", rejected.get(0).get("error").get("error").asText());
    assertEquals(3, rejected.get(1).get("index").asInt());
    assertEquals("invalid_type", rejected.get(1).get("error").get("error").asText());

    Http.Response again =
        batch(
            http,
            t,
            "{\"events\": [{\"type\": \"identify\", \"anonymous_id\": \"anon-b\","
                + " \"user_identifier\": \"u_b\", \"event_id\": \"id-1\"}]}");
    assertEquals(1, again.json().get("duplicates").asInt(), again::toString);
    assertEquals(1, count("SELECT COUNT(*) FROM identifies WHERE app_id = " + t.appId()));
    // Each stored identify counts as one event of the month.
    assertEquals(
        3,
        count(
            "SELECT accepted FROM usage_counters WHERE tenant_id = "
                + t.tenantId()
                + " ORDER BY period DESC LIMIT 1"));
  }

  private static String link(String anonymous, String user) {
    return "{\"anonymous_id\": \"" + anonymous + "\", \"user_identifier\": \"" + user + "\"}";
  }

  private static String event(String user, String name, Instant at) {
    return "{\"event_name\": \""
        + name
        + "\", \"user_identifier\": \""
        + user
        + "\", \"timestamp\": \""
        + at
        + "\"}";
  }

  private static Http.Response identify(Http http, Tenants.TenantApp t, String body) {
    return http.post("/api/v1/identify")
        .header("X-OL-Tenant-Key", t.tenantKey())
        .header("X-OL-App-Key", t.appKey())
        .body(body)
        .send();
  }

  private static Http.Response batch(Http http, Tenants.TenantApp t, String body) {
    return http.post("/api/v1/events/batch")
        .header("X-OL-Tenant-Key", t.tenantKey())
        .header("X-OL-App-Key", t.appKey())
        .body(body)
        .send();
  }

  private static void send(Http http, Tenants.TenantApp t, String event) {
    Http.Response r =
        http.post("/api/v1/events")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .body(event)
            .send();
    assertEquals(200, r.status(), r::toString);
  }

  private static JsonNode awaitUsers(
      Http http, Tenants.TenantApp t, String path, List<Long> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode report = null;
    while (System.nanoTime() < deadline) {
      report = http.post(path).bearer(t.managementToken()).body(SIGNUP).send().json();
      List<Long> users = new ArrayList<>();
      report.get("steps").forEach(step -> users.add(step.get("users").asLong()));
      if (users.equals(expected)) {
        return report;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("report never reached " + expected + ": " + report);
  }

  private static String personOf(long appId, String alias) throws Exception {
    try (Connection c = TestServers.get().connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT person FROM identity_aliases WHERE app_id = "
                        + appId
                        + " AND alias = '"
                        + alias
                        + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static long count(String sql) throws Exception {
    try (Connection c = TestServers.get().connect();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
