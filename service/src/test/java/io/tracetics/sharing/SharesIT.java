package io.tracetics.sharing;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Share links over real HTTP: created with the management token, read without any credential,
 * revoked, expired, confined to their own funnel and tenant, and showing nothing but the report.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SharesIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  static final String FUNNEL =
      """
      {"name": "checkout", "window_seconds": 3600,
       "steps": [{"event_name": "visit"}, {"event_name": "signup"}, {"event_name": "purchase"}]}
      """;

  static final String OTHER_FUNNEL =
      """
      {"name": "secret funnel", "window_seconds": 3600,
       "steps": [{"event_name": "visit"}, {"event_name": "refund"}]}
      """;

  Http http() {
    return new Http(APP.getLocalPort());
  }

  /** 20 visitors over two days, 12 sign up, 5 purchase. */
  static List<EventWriter.Event> events() {
    long base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS).toEpochMilli();
    List<EventWriter.Event> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String user = "user-" + i;
      long visit = base + (i % 2) * 86_400_000L + i * 60_000L;
      events.add(new EventWriter.Event(user, "visit", visit, "{\"source\": \"ads\"}"));
      if (i < 12) {
        events.add(new EventWriter.Event(user, "signup", visit + 60_000, null));
      }
      if (i < 5) {
        events.add(new EventWriter.Event(user, "purchase", visit + 120_000, null));
      }
    }
    return events;
  }

  record Setup(Tenants.TenantApp tenant, long funnelId) {
    String shares() {
      return "/api/v1/apps/" + tenant.appId() + "/funnels/" + funnelId + "/shares";
    }
  }

  Setup setup() throws Exception {
    Tenants.TenantApp t = Tenants.create(http());
    Reports.send(APP, t, events());
    return new Setup(t, Reports.saveFunnel(http(), t, FUNNEL));
  }

  JsonNode create(Setup s, Object body) {
    Http.Request request = http().post(s.shares()).bearer(s.tenant().managementToken());
    Http.Response created = (body == null ? request : request.json(body)).send();
    assertEquals(201, created.status(), created::toString);
    return created.json();
  }

  Http.Response shared(String token, String query) {
    return http().get("/api/v1/shared/" + token + "/report" + query).send();
  }

  @Test
  void createReadWithoutCredentialsListAndRevoke() throws Exception {
    Setup s = setup();
    JsonNode share =
        create(s, Map.of("allowed_parameters", List.of("interval", "from", "to", "from")));
    String token = share.get("token").asText();
    assertTrue(ShareTokens.wellFormed(token), token);
    assertEquals("/s/" + token, share.get("url").asText());
    assertEquals(s.funnelId(), share.get("funnel_id").asLong());
    assertTrue(share.get("expires_at").isNull());
    assertEquals(List.of("from", "to", "interval"), texts(share.get("allowed_parameters")));
    assertNotNull(Instant.parse(share.get("created_at").asText()));
    long shareId = share.get("share_id").asLong();

    // Read by anyone holding the token: the funnel's saved report, with its name and steps.
    Http.Response read = shared(token, "");
    assertEquals(200, read.status(), read::toString);
    assertEquals("no-store", read.header("Cache-Control"));
    JsonNode body = read.json();
    assertEquals("checkout", body.get("funnel").get("name").asText());
    assertEquals(3, body.get("funnel").get("steps").size());
    assertEquals(List.of(20L, 12L, 5L), Reports.users(body.get("report").get("steps")));
    JsonNode own =
        http()
            .get("/api/v1/apps/" + s.tenant().appId() + "/funnels/" + s.funnelId() + "/report")
            .bearer(s.tenant().managementToken())
            .send()
            .json();
    assertEquals(own.get("steps"), body.get("report").get("steps"));
    assertEquals(List.of("from", "to", "interval"), texts(body.get("allowed_parameters")));

    // Listed without its token or URL.
    JsonNode list = http().get(s.shares()).bearer(s.tenant().managementToken()).send().json();
    assertEquals(1, list.get("shares").size());
    JsonNode listed = list.get("shares").get(0);
    assertEquals(shareId, listed.get("share_id").asLong());
    assertNull(listed.get("token"));
    assertNull(listed.get("url"));
    assertFalse(listed.get("expired").asBoolean());
    assertFalse(list.toString().contains(token));

    // Revoked: the same 404 as a token that never existed, at once.
    Http.Response revoked =
        http().delete(s.shares() + "/" + shareId).bearer(s.tenant().managementToken()).send();
    assertEquals(204, revoked.status(), revoked::toString);
    JsonNode gone = assertError(shared(token, ""), 404, "share_not_found");
    JsonNode unknown = assertError(shared(ShareTokens.generate(), ""), 404, "share_not_found");
    assertEquals(unknown, gone);
    assertEquals(unknown, assertError(shared(token, "?interval=day"), 404, "share_not_found"));
    assertEquals(unknown, assertError(shared("not-a-token", ""), 404, "share_not_found"));
    assertEquals(
        0,
        http()
            .get(s.shares())
            .bearer(s.tenant().managementToken())
            .send()
            .json()
            .get("shares")
            .size());
    assertError(
        http().delete(s.shares() + "/" + shareId).bearer(s.tenant().managementToken()).send(),
        404,
        "share_not_found");
  }

  @Test
  void aLinkWithoutABodyAllowsNothingAndNeverExpires() throws Exception {
    Setup s = setup();
    JsonNode share = create(s, null);
    assertEquals(List.of(), texts(share.get("allowed_parameters")));
    assertTrue(share.get("expires_at").isNull());
    String token = share.get("token").asText();
    assertEquals(200, shared(token, "").status());
    JsonNode refused = assertError(shared(token, "?interval=day"), 400, "parameter_not_allowed");
    assertEquals("interval", refused.get("parameter").asText());
  }

  @Test
  void anExpiredLinkReadsNothing() throws Exception {
    Setup s = setup();
    Instant expires = Instant.now().plusMillis(2500);
    JsonNode share = create(s, Map.of("expires_at", expires.toString()));
    assertEquals(
        expires.truncatedTo(ChronoUnit.MILLIS), Instant.parse(share.get("expires_at").asText()));
    String token = share.get("token").asText();
    assertEquals(200, shared(token, "").status());
    long wait = expires.toEpochMilli() - System.currentTimeMillis() + 100;
    Thread.sleep(Math.max(0, wait));
    JsonNode expired = assertError(shared(token, ""), 404, "share_not_found");
    assertEquals(assertError(shared(ShareTokens.generate(), ""), 404, "share_not_found"), expired);
    JsonNode listed =
        http().get(s.shares()).bearer(s.tenant().managementToken()).send().json().get("shares");
    assertTrue(listed.get(0).get("expired").asBoolean(), listed::toString);
    assertEquals(404, http().get(share.get("url").asText()).send().status());
  }

  @Test
  void badRequestsNameTheField() throws Exception {
    Setup s = setup();
    String token = s.tenant().managementToken();
    JsonNode unknown =
        assertError(
            http()
                .post(s.shares())
                .bearer(token)
                .json(Map.of("allowed_parameters", List.of("from", "funnel_id")))
                .send(),
            400,
            "unknown_parameter");
    assertTrue(unknown.get("message").asText().contains("funnel_id"), unknown::toString);
    assertError(
        http()
            .post(s.shares())
            .bearer(token)
            .json(Map.of("expires_at", Instant.now().minusSeconds(60).toString()))
            .send(),
        400,
        "invalid_expires_at");
    assertError(
        http().post(s.shares()).bearer(token).json(Map.of("expires_at", "next week")).send(),
        400,
        "invalid_expires_at");
    assertEquals(401, http().post(s.shares()).json(Map.of()).send().status());
    assertEquals(401, http().get(s.shares()).send().status());
    assertEquals(
        0, http().get(s.shares()).bearer(token).send().json().get("shares").size(), "none stored");
  }

  @Test
  void aLinkReadsItsOwnFunnelOnlyWhateverIsTamperedWith() throws Exception {
    Setup s = setup();
    long other = Reports.saveFunnel(http(), s.tenant(), OTHER_FUNNEL);
    JsonNode share =
        create(s, Map.of("allowed_parameters", List.of("from", "to", "breakdown", "interval")));
    String token = share.get("token").asText();
    long shareId = share.get("share_id").asLong();
    String otherShares = "/api/v1/apps/" + s.tenant().appId() + "/funnels/" + other + "/shares";

    // Parameters naming the other funnel or app are refused, never followed.
    for (String query :
        List.of(
            "?funnel_id=" + other,
            "?funnel=" + other,
            "?app_id=" + s.tenant().appId(),
            "?token=" + token,
            "?interval=day&funnel_id=" + other)) {
      assertError(shared(token, query), 400, "parameter_not_allowed");
    }
    // Paths that try to reach around the token.
    for (String path :
        List.of(
            "/api/v1/shared/"
                + token
                + "/report/../../../apps/"
                + s.tenant().appId()
                + "/funnels/"
                + other
                + "/report",
            "/api/v1/shared/" + token + "%2F..%2F" + other + "/report",
            "/api/v1/shared/" + token + "/" + other + "/report",
            "/api/v1/shared/" + token.toUpperCase(Locale.ROOT) + "/report",
            "/api/v1/shared/" + token.substring(0, token.length() - 1) + "/report",
            "/api/v1/shared/" + token + "x/report",
            "/api/v1/shared/" + other + "/report",
            "/api/v1/shared//report")) {
      Http.Response answer = http().get(path).send();
      assertTrue(
          answer.status() == 404 || answer.status() == 400 || answer.status() == 401,
          path + " -> " + answer);
      assertFalse(answer.text().contains("secret funnel"), path + " -> " + answer);
    }
    // Every read, whatever the allowed parameters, is the shared funnel's.
    for (String query : List.of("", "?interval=day", "?breakdown=source")) {
      JsonNode body = shared(token, query).json();
      assertEquals("checkout", body.get("funnel").get("name").asText(), query);
      assertFalse(body.toString().contains("secret funnel"), query);
      assertFalse(body.toString().contains("refund"), query);
    }
    // The other funnel's path does not reach this link.
    assertError(
        http().delete(otherShares + "/" + shareId).bearer(s.tenant().managementToken()).send(),
        404,
        "share_not_found");
    assertEquals(
        0,
        http()
            .get(otherShares)
            .bearer(s.tenant().managementToken())
            .send()
            .json()
            .get("shares")
            .size());
    assertEquals(200, shared(token, "").status(), "still live");
  }

  @Test
  void anotherTenantCannotTouchMyLinks() throws Exception {
    Setup mine = setup();
    JsonNode share = create(mine, Map.of());
    long shareId = share.get("share_id").asLong();
    Tenants.TenantApp intruder = Tenants.create(http());
    String theirs = intruder.managementToken();

    assertError(http().post(mine.shares()).bearer(theirs).json(Map.of()).send(), 404, null);
    assertError(http().get(mine.shares()).bearer(theirs).send(), 404, null);
    assertError(http().delete(mine.shares() + "/" + shareId).bearer(theirs).send(), 404, null);
    // Through their own app, with my funnel's and link's ids.
    String viaOwnApp =
        "/api/v1/apps/" + intruder.appId() + "/funnels/" + mine.funnelId() + "/shares";
    assertError(http().post(viaOwnApp).bearer(theirs).json(Map.of()).send(), 404, null);
    assertError(http().get(viaOwnApp).bearer(theirs).send(), 404, null);
    assertError(http().delete(viaOwnApp + "/" + shareId).bearer(theirs).send(), 404, null);
    // My link still works, and is still mine alone.
    assertEquals(200, shared(share.get("token").asText(), "").status());
    assertEquals(
        1,
        http()
            .get(mine.shares())
            .bearer(mine.tenant().managementToken())
            .send()
            .json()
            .get("shares")
            .size());
  }

  /** The whole answer, every field at every depth, is the report and the funnel's steps only. */
  @Test
  void theSharedAnswerCarriesNoKeysIdsSqlOrPeople() throws Exception {
    Setup s = setup();
    JsonNode share =
        create(
            s,
            Map.of(
                "allowed_parameters",
                List.of(
                    "from", "to", "breakdown", "interval", "mode", "breakdown_source", "compare")));
    String token = share.get("token").asText();
    Instant to = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
    Instant from = to.minus(3, ChronoUnit.DAYS);
    Set<String> allowedNames =
        Set.of(
            "funnel",
            "name",
            "steps",
            "event_name",
            "filters",
            "any_of",
            "within_seconds",
            "property",
            "op",
            "value",
            "source",
            "report",
            "index",
            "users",
            "conversion_from_first",
            "conversion_from_previous",
            "drop_off",
            "time_to_convert",
            "median_seconds",
            "p90_seconds",
            "mean_seconds",
            "histogram",
            "from_seconds",
            "to_seconds",
            "alternatives",
            "comparison",
            "previous_users",
            "rest_users",
            "previous_conversion_from_first",
            "rest_conversion_from_first",
            "difference",
            "significance",
            "p_value",
            "adjusted_p_value",
            "method",
            "breakdowns",
            "other",
            "trends",
            "period",
            "entered",
            "completed",
            "conversion_rate",
            "count_by",
            "unassigned_events",
            "compare",
            "with",
            "from",
            "to",
            "previous_from",
            "previous_to",
            "computed_at",
            "data_through",
            "cached",
            "previous",
            "parameters",
            "breakdown",
            "breakdown_source",
            "interval",
            "mode",
            "allowed_parameters");
    List<String> secrets =
        List.of(token, s.tenant().managementToken(), s.tenant().tenantKey(), s.tenant().appKey());
    for (String query :
        List.of(
            "",
            "?breakdown=source&interval=day",
            "?from=" + from + "&to=" + to + "&compare=previous")) {
      Http.Response answer = shared(token, query);
      assertEquals(200, answer.status(), query + " -> " + answer);
      List<String> names = new ArrayList<>();
      List<String> strings = new ArrayList<>();
      walk(answer.json(), names, strings);
      for (String name : names) {
        assertTrue(allowedNames.contains(name), query + ": field " + name + " in " + answer);
      }
      for (String text : strings) {
        for (String secret : secrets) {
          assertFalse(text.contains(secret), query + ": a secret in " + text);
        }
        assertFalse(text.toLowerCase(Locale.ROOT).contains("select "), text);
      }
      assertFalse(answer.text().contains("user-"), query + ": a person's identifier");
      assertFalse(answer.text().contains("\"" + s.tenant().appId() + "\""), query);
    }
  }

  @Test
  void allowedParametersAreComputedLiveWithinTheLinksLimit() throws Exception {
    Setup s = setup();
    String token =
        create(s, Map.of("allowed_parameters", List.of("interval", "breakdown")))
            .get("token")
            .asText();
    assertError(shared(token, "?from=2026-01-01T00:00:00Z"), 400, "parameter_not_allowed");
    assertError(shared(token, "?interval=day&interval=week"), 400, "invalid_parameter");

    JsonNode byDay = shared(token, "?interval=day").json();
    assertEquals("day", byDay.get("parameters").get("interval").asText());
    assertEquals(2, byDay.get("report").get("trends").size(), byDay::toString);
    assertEquals(
        20,
        byDay.get("report").get("trends").get(0).get("entered").asLong()
            + byDay.get("report").get("trends").get(1).get("entered").asLong());
    JsonNode bySource = shared(token, "?breakdown=source").json();
    assertEquals("ads", bySource.get("report").get("breakdowns").get(0).get("value").asText());
    // A value the report refuses is the report's own error.
    assertEquals(422, shared(token, "?interval=month").status());

    // The burst is 3 in the test configuration: the next one waits. The saved report does not.
    Http.Response limited = shared(token, "?interval=week");
    JsonNode error = assertError(limited, 429, "rate_limited");
    assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1, error::toString);
    assertEquals(200, shared(token, "").status());
  }

  @Test
  void deletingTheFunnelKillsItsLinks() throws Exception {
    Setup s = setup();
    String token = create(s, Map.of()).get("token").asText();
    assertEquals(200, shared(token, "").status());
    assertEquals(
        204,
        http()
            .delete("/api/v1/apps/" + s.tenant().appId() + "/funnels/" + s.funnelId())
            .bearer(s.tenant().managementToken())
            .send()
            .status());
    assertError(shared(token, ""), 404, "share_not_found");
    assertEquals(404, http().get("/s/" + token).send().status());
  }

  @Test
  void thePageIsServedWithoutLoginAndFramedOnlyWhenEmbedded() throws Exception {
    Setup s = setup();
    String url = create(s, Map.of()).get("url").asText();
    Http.Response page = http().get(url).send();
    assertEquals(200, page.status());
    assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
    assertTrue(page.text().contains("/dashboard/js/shared.js"));
    assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
    assertEquals("DENY", page.header("X-Frame-Options"));
    assertEquals("no-referrer", page.header("Referrer-Policy"));
    assertEquals("no-store", page.header("Cache-Control"));

    Http.Response embedded = http().get(url + "?embed=1").send();
    assertEquals(200, embedded.status());
    String policy = embedded.header("Content-Security-Policy");
    assertTrue(policy.contains("frame-ancestors https://wiki.example.com"), policy);
    assertTrue(policy.contains("script-src 'self'"), policy);
    assertNull(embedded.header("X-Frame-Options"));

    Http.Response missing = http().get("/s/" + ShareTokens.generate()).send();
    assertEquals(404, missing.status());
    assertTrue(missing.header("Content-Type").startsWith("text/html"));
    assertTrue(missing.text().contains("Not found"));
    assertEquals(missing.text(), http().get("/s/nothing?embed=1").send().text());
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  static void walk(JsonNode node, List<String> names, List<String> strings) {
    if (node.isTextual()) {
      strings.add(node.asText());
    }
    node.fields()
        .forEachRemaining(
            f -> {
              names.add(f.getKey());
              walk(f.getValue(), names, strings);
            });
    if (node.isArray()) {
      node.forEach(item -> walk(item, names, strings));
    }
  }
}
