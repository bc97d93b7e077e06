package io.tracetics.persons;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/v1/apps/{app_id}/persons/{identifier}} on the running application: events and an
 * identify go in through the ingest API, the loader merges them, and the person reads the same by
 * any of its identifiers.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PersonsIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  /** Characters a URL must carry encoded. */
  static final String ANON = "anon 1+ü?&#;=@é";

  /** An identifier a path cannot carry (an encoded slash or percent sign): the query form can. */
  static final String DEVICE = "device/7%";

  static final String USER = "user@example.com";

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void aPersonAcrossLoginReadByAnyOfItsIdentifiersInPages() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    List<Map<String, Object>> events =
        List.of(
            event(ANON, "viewed_pricing", t0, Map.of("path", "/pricing")),
            event(ANON, "viewed_docs", t0.plusSeconds(30), Map.of()),
            event(USER, "signed_up", t0.plusSeconds(60), Map.of("plan", "trial")),
            event(USER, "upgraded", t0.plusSeconds(600), Map.of()),
            event(DEVICE, "opened_app", t0.plusSeconds(700), Map.of()),
            event("someone-else", "viewed_pricing", t0, Map.of()));
    Http.Response sent =
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", events))
            .send();
    assertEquals(6, sent.json().get("accepted").asInt(), sent::toString);
    // Before the link: the anonymous id is a person of its own.
    JsonNode alone = await(http, t, ANON, "", p -> p.get("event_count").asLong() == 2);
    assertEquals(ANON, alone.get("person_id").asText());
    assertEquals(0, alone.get("watermark").get("identity_version").asLong());

    identify(
        http,
        t,
        Map.of(
            "anonymous_id",
            ANON,
            "user_identifier",
            USER,
            "traits",
            Map.of("plan", "pro", "seats", 3)));

    JsonNode byAlias =
        await(http, t, ANON, "", p -> p.get("watermark").get("identity_version").asLong() > 0);
    assertEquals(USER, byAlias.get("person_id").asText());
    assertEquals(List.of(USER, ANON), texts(byAlias.get("identifiers")));
    assertEquals("pro", byAlias.get("traits").get("plan").asText());
    assertEquals(3, byAlias.get("traits").get("seats").asInt());
    assertEquals(4, byAlias.get("event_count").asLong());
    assertEquals(t0.toString(), byAlias.get("first_seen").asText());
    assertEquals(t0.plusSeconds(600).toString(), byAlias.get("last_seen").asText());
    assertEquals(
        List.of("upgraded", "signed_up", "viewed_docs", "viewed_pricing"),
        names(byAlias.get("events")));
    JsonNode oldest = byAlias.get("events").get(3);
    assertEquals(ANON, oldest.get("user_identifier").asText());
    assertEquals(t0.toString(), oldest.get("event_time").asText());
    assertEquals("/pricing", oldest.get("metadata").get("path").asText());
    assertTrue(byAlias.get("next_cursor").isNull());
    assertTrue(byAlias.get("watermark").get("events").asLong() >= 5, byAlias::toString);

    // The person's own identifier gives the same person, and so does the query form.
    JsonNode byUser = get(http, t, USER, "");
    assertEquals(byAlias.get("identifiers"), byUser.get("identifiers"));
    assertEquals(byAlias.get("events"), byUser.get("events"));
    assertEquals(byAlias.get("events"), query(http, t, ANON, "").get("events"));

    // An identifier with a slash: its path is refused by the server, the query form answers.
    identify(http, t, Map.of("anonymous_id", DEVICE, "user_identifier", USER));
    JsonNode byDevice = awaitQuery(http, t, DEVICE, p -> p.get("person_id").asText().equals(USER));
    assertEquals(List.of(USER, ANON, DEVICE), texts(byDevice.get("identifiers")));
    assertEquals(5, byDevice.get("event_count").asLong());
    assertEquals(DEVICE, byDevice.get("events").get(0).get("user_identifier").asText());
    assertEquals(
        400,
        http.get("/api/v1/apps/" + t.appId() + "/persons/" + encode(DEVICE))
            .bearer(t.managementToken())
            .send()
            .status());

    // Pages of one event, each cursor from the answer before.
    List<String> walked = new ArrayList<>();
    String query = "?limit=1";
    while (true) {
      JsonNode page = get(http, t, ANON, query);
      assertEquals(1, page.get("events").size(), page::toString);
      walked.add(page.get("events").get(0).get("event_name").asText());
      if (page.get("next_cursor").isNull()) {
        break;
      }
      query =
          "?limit=1&cursor="
              + URLEncoder.encode(page.get("next_cursor").asText(), StandardCharsets.UTF_8);
    }
    assertEquals(names(byDevice.get("events")), walked);
  }

  @Test
  void unknownPersonsOtherTenantsAndBadParametersAreRefused() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    Tenants.TenantApp other = Tenants.create(http);
    String base = "/api/v1/apps/" + t.appId() + "/persons/";
    assertError(
        http.get(base + encode("nobody here")).bearer(t.managementToken()).send(),
        404,
        "person_not_found");
    // The other tenant's token does not reach this app, whatever the identifier.
    assertError(
        http.get(base + "nobody").bearer(other.managementToken()).send(), 404, "app_not_found");
    assertError(http.get(base + "nobody").send(), 401, "unauthorized");
    assertError(
        http.get(base + "nobody?limit=5000").bearer(t.managementToken()).send(),
        400,
        "invalid_parameter");
    assertError(
        http.get(base + "nobody?cursor=xyz").bearer(t.managementToken()).send(),
        400,
        "invalid_parameter");
    String query = "/api/v1/apps/" + t.appId() + "/persons";
    assertError(
        http.get(query + "?identifier=" + encode("nobody/here")).bearer(t.managementToken()).send(),
        404,
        "person_not_found");
    assertError(http.get(query).bearer(t.managementToken()).send(), 400, "invalid_parameter");
  }

  private static void identify(Http http, Tenants.TenantApp t, Map<String, Object> body) {
    Http.Response identified =
        http.post("/api/v1/identify")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(body)
            .send();
    assertEquals(200, identified.status(), identified::toString);
  }

  private static JsonNode query(Http http, Tenants.TenantApp t, String identifier, String more) {
    Http.Response response =
        http.get("/api/v1/apps/" + t.appId() + "/persons?identifier=" + encode(identifier) + more)
            .bearer(t.managementToken())
            .send();
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  private static JsonNode awaitQuery(
      Http http, Tenants.TenantApp t, String identifier, Predicate<JsonNode> ready)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Http.Response last = null;
    while (System.nanoTime() < deadline) {
      last =
          http.get("/api/v1/apps/" + t.appId() + "/persons?identifier=" + encode(identifier))
              .bearer(t.managementToken())
              .send();
      if (last.status() == 200 && ready.test(last.json())) {
        return last.json();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("person never got ready: " + last);
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

  private static JsonNode get(Http http, Tenants.TenantApp t, String identifier, String query) {
    Http.Response response =
        http.get("/api/v1/apps/" + t.appId() + "/persons/" + encode(identifier) + query)
            .bearer(t.managementToken())
            .send();
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  /** The person once the loader has got it to {@code ready} (404 until its events are loaded). */
  private static JsonNode await(
      Http http, Tenants.TenantApp t, String identifier, String query, Predicate<JsonNode> ready)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Http.Response last = null;
    while (System.nanoTime() < deadline) {
      last =
          http.get("/api/v1/apps/" + t.appId() + "/persons/" + encode(identifier) + query)
              .bearer(t.managementToken())
              .send();
      if (last.status() == 200 && ready.test(last.json())) {
        return last.json();
      }
      assertTrue(last.status() == 200 || last.status() == 404, last::toString);
      Thread.sleep(100);
    }
    throw new AssertionError("person never got ready: " + last);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> names(JsonNode events) {
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add(e.get("event_name").asText()));
    return out;
  }
}
