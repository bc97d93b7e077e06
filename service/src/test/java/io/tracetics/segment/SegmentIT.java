package io.tracetics.segment;

import static io.tracetics.segment.SegmentFixtures.basic;
import static io.tracetics.segment.SegmentFixtures.events;
import static io.tracetics.segment.SegmentFixtures.execute;
import static io.tracetics.segment.SegmentFixtures.identifies;
import static io.tracetics.segment.SegmentFixtures.newSource;
import static io.tracetics.segment.SegmentFixtures.personOf;
import static io.tracetics.segment.SegmentFixtures.post;
import static io.tracetics.segment.SegmentFixtures.rows;
import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.segment.SegmentFixtures.Source;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Segment-compatible endpoints against the real server, MariaDB and the loader. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SegmentIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();
  static final ObjectMapper JSON = new ObjectMapper();

  Http http;

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
  }

  @Test
  void trackPageAndScreenAreStoredAsEvents() throws Exception {
    Source source = newSource(http);
    Http.Response track =
        post(http, "/v1/track", source)
            .body(
                """
                {"userId": "u_42", "event": "Order Completed", "messageId": "m-track",
                 "properties": {"revenue": 19.99, "plan": "pro"},
                 "timestamp": "2026-01-05T10:00:00Z",
                 "context": {"library": {"name": "analytics-node"}}, "integrations": {}}
                """)
            .send();
    assertEquals(200, track.status(), track::toString);
    assertEquals("{\"success\":true}", track.text());
    assertEquals(
        200,
        post(http, "/v1/page", source)
            .body(
                """
                {"anonymousId": "anon-1", "name": "Pricing", "category": "Docs",
                 "properties": {"url": "https://shop.example/pricing"}, "messageId": "m-page"}
                """)
            .send()
            .status());
    assertEquals(
        200,
        post(http, "/v1/screen", source)
            .body("{\"userId\": \"u_42\", \"name\": \"Home\", \"messageId\": \"m-screen\"}")
            .send()
            .status());

    List<Map<String, Object>> stored =
        rows(
            "SELECT client_event_id, event_name, user_identifier, metadata, event_time_ms"
                + " FROM events WHERE app_id = ? ORDER BY id",
            source.appId());
    assertEquals(3, stored.size());
    Map<String, Object> order = stored.get(0);
    assertEquals("m-track", order.get("client_event_id"));
    assertEquals("Order Completed", order.get("event_name"));
    assertEquals("u_42", order.get("user_identifier"));
    assertEquals(
        JSON.readTree("{\"revenue\": 19.99, \"plan\": \"pro\"}"),
        JSON.readTree((String) order.get("metadata")),
        "properties become metadata; context is not stored");
    assertEquals(
        Instant.parse("2026-01-05T10:00:00Z").toEpochMilli(),
        ((Number) order.get("event_time_ms")).longValue());
    Map<String, Object> page = stored.get(1);
    assertEquals("page_viewed", page.get("event_name"));
    assertEquals("anon-1", page.get("user_identifier"));
    assertEquals(
        JSON.readTree(
            "{\"url\": \"https://shop.example/pricing\", \"name\": \"Pricing\","
                + " \"category\": \"Docs\"}"),
        JSON.readTree((String) page.get("metadata")));
    assertEquals("screen_viewed", stored.get(2).get("event_name"));
    assertEquals(
        JSON.readTree("{\"name\": \"Home\"}"),
        JSON.readTree((String) stored.get(2).get("metadata")));
    assertEquals(0, identifies(source.appId()), "one id per event: nothing to link");
  }

  @Test
  void everyMissingWrongOrRevokedWriteKeyIsTheSame401AndStoresNothing() {
    Source source = newSource(http);
    Source other = newSource(http);
    String body = "{\"userId\": \"u\", \"event\": \"a\"}";
    List<Http.Response> denied = new ArrayList<>();
    denied.add(http.post("/v1/track").body(body).send());
    denied.add(http.post("/v1/track").header("Authorization", basic("wk_wrong")).body(body).send());
    denied.add(
        http.post("/v1/track")
            .header("Authorization", basic(source.app().appKey()))
            .body(body)
            .send());
    denied.add(
        http.post("/v1/track")
            .header("Authorization", basic(source.app().tenantKey()))
            .body(body)
            .send());
    denied.add(
        http.post("/v1/track")
            .header("Authorization", basic(source.app().managementToken()))
            .body(body)
            .send());
    denied.add(
        http.post("/v1/track")
            .header("Authorization", "Bearer " + source.writeKey())
            .body(body)
            .send());
    denied.add(http.post("/v1/track").header("Authorization", "Basic !!!").body(body).send());
    denied.add(
        http.post("/v1/track")
            .header("Authorization", basic(":" + source.writeKey()))
            .body(body)
            .send());
    // A wrong header is not rescued by a right key in the body.
    denied.add(
        http.post("/v1/track")
            .header("Authorization", basic("wk_wrong"))
            .body(
                "{\"userId\": \"u\", \"event\": \"a\", \"writeKey\": \""
                    + source.writeKey()
                    + "\"}")
            .send());
    denied.add(
        http.post("/v1/t").body("{\"userId\": \"u\", \"event\": \"a\", \"writeKey\": 5}").send());
    denied.add(
        http.post("/v1/batch").json(Map.of("batch", List.of(Map.of("type", "track")))).send());
    Http.Response revoke =
        http.delete(
                "/api/v1/apps/"
                    + other.appId()
                    + "/write-keys/"
                    + rows(
                            "SELECT id FROM credentials WHERE app_id = ? AND kind = 'write_key'",
                            other.appId())
                        .get(0)
                        .get("id"))
            .bearer(other.app().managementToken())
            .send();
    assertEquals(204, revoke.status(), revoke::toString);
    denied.add(post(http, "/v1/track", other).body(body).send());
    String message = null;
    for (Http.Response response : denied) {
      JsonNode error = assertError(response, 401, "invalid_write_key");
      if (message == null) {
        message = error.get("message").asText();
      }
      assertEquals(message, error.get("message").asText(), "never says what was wrong");
    }
    assertEquals(0, events(source.appId()));
    assertEquals(0, events(other.appId()));
  }

  @Test
  void analyticsJsStyleWriteKeyInTheBodyOnTheShortPathsWithCors() {
    Source source = newSource(http);
    String key = source.writeKey();
    Http.Response track =
        http.post("/v1/t")
            .header("Origin", "https://shop.example")
            .bytes(
                ("{\"type\": \"track\", \"event\": \"Clicked\", \"anonymousId\": \"anon-7\","
                        + " \"writeKey\": \""
                        + key
                        + "\", \"messageId\": \"ajs-1\","
                        + " \"sentAt\": \""
                        + Instant.now()
                        + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "text/plain")
            .send();
    assertEquals(200, track.status(), track::toString);
    assertEquals("*", track.header("Access-Control-Allow-Origin"));
    assertEquals(
        200,
        http.post("/v1/p")
            .body(
                "{\"anonymousId\": \"anon-7\", \"name\": \"Home\", \"writeKey\": \"" + key + "\"}")
            .send()
            .status());
    Http.Response batch =
        http.post("/v1/b")
            .body(
                "{\"writeKey\": \""
                    + key
                    + "\", \"sentAt\": \""
                    + Instant.now()
                    + "\", \"batch\": ["
                    + "{\"type\": \"identify\", \"userId\": \"u_7\", \"anonymousId\": \"anon-7\"},"
                    + "{\"type\": \"track\", \"event\": \"Paid\", \"userId\": \"u_7\"}]}")
            .send();
    assertEquals(200, batch.status(), batch::toString);
    assertEquals(2, batch.json().get("accepted").asInt(), batch::toString);
    assertEquals(3, events(source.appId()));
    assertEquals("u_7", personOf(source.appId(), "anon-7"));

    Http.Response preflight =
        http.request("OPTIONS", "/v1/batch")
            .header("Origin", "https://shop.example")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type")
            .send();
    assertTrue(preflight.status() == 204 || preflight.status() == 200, preflight::toString);
    assertEquals("*", preflight.header("Access-Control-Allow-Origin"));
    assertTrue(
        preflight.header("Access-Control-Allow-Headers").toLowerCase().contains("authorization"));
    Http.Response denied =
        http.post("/v1/t").header("Origin", "https://shop.example").body("{}").send();
    assertError(denied, 401, "invalid_write_key");
    assertEquals("*", denied.header("Access-Control-Allow-Origin"), "errors are readable too");
  }

  @Test
  void aRetriedMessageIdIsStoredOnce() {
    Source source = newSource(http);
    String body = "{\"userId\": \"u\", \"event\": \"Paid\", \"messageId\": \"m-1\"}";
    assertEquals(200, post(http, "/v1/track", source).body(body).send().status());
    assertEquals(200, post(http, "/v1/track", source).body(body).send().status());
    Http.Response batch =
        post(http, "/v1/batch", source)
            .body(
                """
                {"batch": [
                  {"type": "track", "userId": "u", "event": "Paid", "messageId": "m-1"},
                  {"type": "track", "userId": "u", "event": "Paid", "messageId": "m-2"},
                  {"type": "page", "userId": "u", "messageId": "m-2"},
                  {"type": "identify", "userId": "u", "traits": {"plan": "pro"}, "messageId": "m-3"},
                  {"type": "identify", "userId": "u", "traits": {"plan": "pro"}, "messageId": "m-3"}]}
                """)
            .send();
    assertEquals(200, batch.status(), batch::toString);
    assertEquals(5, batch.json().get("accepted").asInt(), batch::toString);
    assertEquals(3, batch.json().get("duplicates").asInt(), batch::toString);
    assertEquals(2, events(source.appId()));
    assertEquals(1, identifies(source.appId()));
    assertEquals(3, usage(source.tenantId())[0], "duplicates are not counted");
  }

  @Test
  void aBatchTakesMixedTypesAndAnswersRefusalsByIndex() {
    Source source = newSource(http);
    Http.Response response =
        post(http, "/v1/batch", source)
            .body(
                """
                {"sentAt": "%s", "batch": [
                  {"type": "page", "anonymousId": "anon-b", "name": "Pricing"},
                  {"type": "identify", "userId": "u_b", "anonymousId": "anon-b",
                   "traits": {"plan": "pro"}},
                  {"type": "group", "userId": "u_b", "groupId": "acme"},
                  {"type": "track", "userId": "u_b"},
                  {"type": "screen", "userId": "u_b", "name": "Settings"},
                  {"type": "alias", "previousId": "anon-c", "userId": "u_b"},
                  {"type": "track", "event": "Signed Up", "userId": "u_b",
                   "properties": {"plan": [1, 2]}},
                  {"type": "track", "event": "x", "userId": "u_b", "properties": "nope"},
                  {"type": "identify", "userId": "u_other", "anonymousId": "anon-b"},
                  {"type": "alias", "userId": "u_b"},
                  "not an object"]}
                """
                    .formatted(Instant.now()))
            .send();
    assertEquals(200, response.status(), response::toString);
    JsonNode body = response.json();
    assertTrue(body.get("success").asBoolean());
    assertEquals(5, body.get("accepted").asInt(), response::toString);
    assertEquals(0, body.get("duplicates").asInt());
    JsonNode rejected = body.get("rejected");
    String[][] expected = {
      {"2", "unsupported_type", "type"},
      {"3", "missing_field", "event"},
      {"7", "invalid_metadata", "properties"},
      {"8", "already_identified", "anonymousId"},
      {"9", "missing_field", "previousId"},
      {"10", "invalid_event", null}
    };
    assertEquals(expected.length, rejected.size(), rejected::toString);
    for (int i = 0; i < expected.length; i++) {
      JsonNode item = rejected.get(i);
      assertEquals(Integer.parseInt(expected[i][0]), item.get("index").asInt(), item::toString);
      assertEquals(expected[i][1], item.get("error").get("error").asText(), item::toString);
      if (expected[i][2] != null) {
        assertEquals(expected[i][2], item.get("error").get("field").asText(), item::toString);
      }
    }
    assertEquals(3, events(source.appId()));
    assertEquals("u_b", personOf(source.appId(), "anon-b"));
    assertEquals("u_b", personOf(source.appId(), "anon-c"));
    assertEquals(2, identifies(source.appId()));
  }

  @Test
  void anEventWithBothIdsLinksThemOnceAndOnlyWhenItIsValid() {
    Source source = newSource(http);
    String both = "{\"userId\": \"u_1\", \"anonymousId\": \"anon-1\", \"event\": \"Viewed\"}";
    assertEquals(200, post(http, "/v1/track", source).body(both).send().status());
    assertEquals("u_1", personOf(source.appId(), "anon-1"));
    assertEquals(
        "u_1",
        rows("SELECT user_identifier FROM events WHERE app_id = ?", source.appId())
            .get(0)
            .get("user_identifier"));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, post(http, "/v1/track", source).body(both).send().status());
    }
    assertEquals(1, identifies(source.appId()), "a link that exists stores nothing");
    assertEquals(5, usage(source.tenantId())[0], "four events and one link");

    // The anonymous id belongs to u_1: an event naming it with u_2 is u_2's, the link is refused.
    assertEquals(
        200,
        post(http, "/v1/page", source)
            .body("{\"userId\": \"u_2\", \"anonymousId\": \"anon-1\"}")
            .send()
            .status());
    assertEquals("u_1", personOf(source.appId(), "anon-1"));
    assertEquals(5, events(source.appId()));

    // An invalid event is refused whole: its link is not stored either.
    JsonNode refused =
        assertError(
            post(http, "/v1/track", source)
                .body("{\"userId\": \"u_3\", \"anonymousId\": \"anon-3\"}")
                .send(),
            400,
            "missing_field");
    assertEquals("event", refused.get("field").asText());
    assertNull(personOf(source.appId(), "anon-3"));
    assertEquals(1, identifies(source.appId()));
  }

  @Test
  void singleMessagesAnswerProblemsInTheOneErrorShape() {
    Source source = newSource(http);
    JsonNode properties =
        assertError(
            post(http, "/v1/track", source)
                .body("{\"userId\": \"u\", \"event\": \"a\", \"properties\": [1]}")
                .send(),
            400,
            "invalid_metadata");
    assertEquals("properties", properties.get("field").asText());
    assertTrue(properties.get("message").asText().contains("'properties'"));
    assertError(
        post(http, "/v1/track", source).body("{\"event\": \"a\"}").send(), 400, "missing_field");
    assertError(
        post(http, "/v1/track", source).body("{\"userId\": \"u\", \"event\": ").send(),
        400,
        "malformed_json");
    assertError(post(http, "/v1/track", source).body("").send(), 400, "invalid_body");
    assertError(
        post(http, "/v1/alias", source).body("{\"userId\": \"u\"}").send(), 400, "missing_field");
    assertEquals(
        200,
        post(http, "/v1/identify", source)
            .body("{\"userId\": \"u_1\", \"anonymousId\": \"anon-x\"}")
            .send()
            .status());
    JsonNode conflict =
        assertError(
            post(http, "/v1/alias", source)
                .body("{\"userId\": \"u_2\", \"previousId\": \"anon-x\"}")
                .send(),
            409,
            "already_identified");
    assertEquals("previousId", conflict.get("field").asText());
    assertEquals(
        200,
        post(http, "/v1/identify", source).body("{\"userId\": \"u_1\"}").send().status(),
        "nothing to link or set: taken as it is");
    assertEquals(1, identifies(source.appId()));

    assertError(post(http, "/v1/batch", source).body("[]").send(), 400, "invalid_body");
    assertError(
        post(http, "/v1/batch", source).body("{\"batch\": {}}").send(), 400, "invalid_body");
    assertError(
        post(http, "/v1/batch", source).body("{\"batch\": []}").send(), 400, "invalid_body");
    List<Object> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(Map.of("type", "track", "userId", "u", "event", "e"));
    }
    assertError(
        post(http, "/v1/batch", source).json(Map.of("batch", tooMany)).send(),
        413,
        "payload_too_large");
    assertError(
        post(http, "/v1/track", source)
            .header("Content-Encoding", "br")
            .body("{\"userId\": \"u\", \"event\": \"a\"}")
            .send(),
        415,
        "unsupported_content_encoding");
    assertEquals(0, events(source.appId()));
  }

  @Test
  void theMonthlyQuotaAnswersAsTheNativeEndpoints() {
    Source source = newSource(http);
    long limit = 100_000; // the free plan
    assertEquals(
        200,
        post(http, "/v1/track", source)
            .body("{\"userId\": \"u\", \"event\": \"a\", \"messageId\": \"kept\"}")
            .send()
            .status());
    execute(
        "UPDATE usage_counters SET accepted = ? WHERE tenant_id = ? AND period = ?",
        limit - 1,
        source.tenantId(),
        period());
    Http.Response partly =
        post(http, "/v1/batch", source)
            .json(
                Map.of(
                    "batch",
                    List.of(
                        Map.of("type", "track", "userId", "u", "event", "a", "messageId", "q1"),
                        Map.of("type", "page", "userId", "u", "messageId", "q2"))))
            .send();
    assertEquals(200, partly.status(), partly::toString);
    assertEquals(1, partly.json().get("accepted").asInt());
    JsonNode rejected = partly.json().get("rejected");
    assertEquals(1, rejected.size(), partly::toString);
    assertEquals(1, rejected.get(0).get("index").asInt());
    assertEquals(429, rejected.get(0).get("error").get("code").asInt());
    assertEquals("monthly_quota_exceeded", rejected.get(0).get("error").get("error").asText());

    Http.Response over =
        post(http, "/v1/track", source).body("{\"userId\": \"u\", \"event\": \"a\"}").send();
    JsonNode body = assertError(over, 429, "monthly_quota_exceeded");
    assertEquals(limit, body.get("limit").asLong());
    assertNotNull(over.header("Retry-After"));
    Http.Response identifyOver =
        post(http, "/v1/identify", source)
            .body("{\"userId\": \"u\", \"traits\": {\"plan\": \"pro\"}}")
            .send();
    assertError(identifyOver, 429, "monthly_quota_exceeded");
    assertNotNull(identifyOver.header("Retry-After"));
    Http.Response batchOver =
        post(http, "/v1/batch", source)
            .json(Map.of("batch", List.of(Map.of("type", "track", "userId", "u", "event", "b"))))
            .send();
    assertError(batchOver, 429, "monthly_quota_exceeded");

    Http.Response retried =
        post(http, "/v1/track", source)
            .body("{\"userId\": \"u\", \"event\": \"a\", \"messageId\": \"kept\"}")
            .send();
    assertEquals(200, retried.status(), "a retry of a stored message is still taken");
    assertEquals(2, events(source.appId()));
    assertEquals(0, identifies(source.appId()));
  }

  @Test
  void aSignupFunnelConvertsAcrossLoginThroughSegmentCalls() throws Exception {
    Source source = newSource(http);
    Instant t0 = Instant.now().minusSeconds(3600);
    // Anonymous browsing (analytics.js keeps an anonymousId), then signing up and upgrading.
    assertEquals(
        200,
        post(http, "/v1/page", source)
            .body(
                "{\"anonymousId\": \"anon-f\", \"name\": \"Pricing\", \"timestamp\": \""
                    + t0
                    + "\"}")
            .send()
            .status());
    Http.Response batch =
        post(http, "/v1/batch", source)
            .json(
                Map.of(
                    "batch",
                    List.of(
                        Map.of(
                            "type",
                            "track",
                            "event",
                            "Signed Up",
                            "userId",
                            "u_f",
                            "anonymousId",
                            "anon-f",
                            "timestamp",
                            t0.plusSeconds(60).toString()),
                        Map.of(
                            "type",
                            "track",
                            "event",
                            "Upgraded",
                            "userId",
                            "u_f",
                            "timestamp",
                            t0.plusSeconds(600).toString()))))
            .send();
    assertEquals(200, batch.status(), batch::toString);
    String funnel =
        """
        {"name": "signup", "window_seconds": 86400, "order": "ordered",
         "steps": [{"event_name": "page_viewed", "filters": [
                     {"property": "name", "op": "eq", "value": "Pricing"}]},
                   {"event_name": "Signed Up"}, {"event_name": "Upgraded"}]}
        """;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<Long> users = List.of();
    while (System.nanoTime() < deadline) {
      JsonNode report =
          http.post("/api/v1/apps/" + source.appId() + "/funnels/report")
              .bearer(source.app().managementToken())
              .body(funnel)
              .send()
              .json();
      List<Long> now = new ArrayList<>();
      report.get("steps").forEach(step -> now.add(step.get("users").asLong()));
      users = now;
      if (users.equals(List.of(1L, 1L, 1L))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("one person converting across login, got " + users);
  }

  @Test
  void gzipAndTheNativeSkewCorrection() {
    Source source = newSource(http);
    long now = System.currentTimeMillis();
    long skew = 2 * 3600_000L; // the client's clock is 2 hours fast
    String body =
        "{\"batch\": [{\"type\": \"track\", \"userId\": \"u\", \"event\": \"a\","
            + " \"messageId\": \"skewed\", \"timestamp\": \""
            + Instant.ofEpochMilli(now + skew - 60_000)
            + "\"}], \"sentAt\": \""
            + Instant.ofEpochMilli(now + skew)
            + "\"}";
    Http.Response response =
        post(http, "/v1/batch", source)
            .header("Content-Encoding", "gzip")
            .bytes(gzip(body), "application/json")
            .send();
    assertEquals(200, response.status(), response::toString);
    Map<String, Object> row =
        rows(
                "SELECT event_time_ms, received_at_ms, sent_at_ms FROM events WHERE app_id = ?",
                source.appId())
            .get(0);
    long received = ((Number) row.get("received_at_ms")).longValue();
    long eventTime = ((Number) row.get("event_time_ms")).longValue();
    assertEquals((now + skew - 60_000) + (received - (now + skew)), eventTime);
    assertFalse(Math.abs(eventTime - (received - 60_000)) > 1_000);
  }

  static long[] usage(long tenantId) {
    List<Map<String, Object>> found =
        rows(
            "SELECT accepted, rejected FROM usage_counters WHERE tenant_id = ? AND period = ?",
            tenantId,
            period());
    return found.isEmpty()
        ? new long[] {0, 0}
        : new long[] {
          ((Number) found.get(0).get("accepted")).longValue(),
          ((Number) found.get(0).get("rejected")).longValue()
        };
  }

  static String period() {
    return YearMonth.now(ZoneOffset.UTC).toString();
  }

  static byte[] gzip(String text) {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
        zip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static long count(String sql, Object... args) {
    return SegmentFixtures.count(sql, args);
  }
}
