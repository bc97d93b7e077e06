package io.tracetics.alerts;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alerts end to end with webhooks allowed to reach 127.0.0.1 (test-config-alerts.yml): a saved
 * funnel, events through the ingest API that move its conversion across the threshold, the one
 * signed {@code fired} and the one {@code resolved} webhook on a local receiver, a retry after a
 * 500, the API's answers and another tenant's 404s.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AlertsIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension("test-config-alerts.yml", Map.of());

  static final Duration WEBHOOK_WAIT = Duration.ofSeconds(30);

  static final String FUNNEL =
      """
      {"name": "signup", "window_seconds": 3600,
       "steps": [{"event_name": "visit"}, {"event_name": "signup"}]}
      """;

  Http http() {
    return new Http(APP.getLocalPort());
  }

  static final Instant T0 =
      Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

  static Map<String, Object> event(String user, String name, int secondsAfter) {
    return Map.of(
        "user_identifier",
        user,
        "event_name",
        name,
        "timestamp",
        T0.plusSeconds(secondsAfter).toString());
  }

  /** Sends {@code events} through the batch API and waits until the app holds {@code total}. */
  static void send(Http http, Tenants.TenantApp t, List<Map<String, Object>> events, long total)
      throws InterruptedException {
    Http.Response sent =
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", events))
            .send();
    assertEquals(events.size(), sent.json().path("accepted").asInt(), sent::toString);
    Reports.awaitLoaded(APP, t.appId(), total);
  }

  /** {@code visitors} users visit; the first {@code signups} of them sign up. */
  static List<Map<String, Object>> visits(int visitors, int signups) {
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < visitors; i++) {
      events.add(event("u" + i, "visit", i));
      if (i < signups) {
        events.add(event("u" + i, "signup", i + 60));
      }
    }
    return events;
  }

  static Map<String, Object> alert(long funnelId, String url) {
    Map<String, Object> alert = new HashMap<>();
    alert.put("name", "signups fell");
    alert.put("funnel_id", funnelId);
    alert.put("step", 1);
    alert.put("metric", "conversion_from_first");
    alert.put("condition", Map.of("below", 0.5));
    alert.put("min_entered", 10);
    alert.put("webhook_url", url);
    return alert;
  }

  static Http.Response create(Http http, Tenants.TenantApp t, Map<String, Object> alert) {
    return http.post("/api/v1/apps/" + t.appId() + "/alerts")
        .bearer(t.managementToken())
        .json(alert)
        .send();
  }

  static JsonNode get(Http http, Tenants.TenantApp t, long alertId) {
    return http.get("/api/v1/apps/" + t.appId() + "/alerts/" + alertId)
        .bearer(t.managementToken())
        .send()
        .successJson();
  }

  @Test
  void firesOnceWhenConversionFallsAndResolvesOnceWhenItRecovers() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long funnelId = Reports.saveFunnel(http, t, FUNNEL);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Http.Response created = create(http, t, alert(funnelId, receiver.url()));
      assertEquals(201, created.status(), created::toString);
      JsonNode body = created.json();
      long alertId = body.get("alert_id").asLong();
      String secret = body.get("secret").asText();
      assertTrue(secret.startsWith("whsec_") && secret.length() >= 6 + 22, secret);
      assertEquals("ok", body.get("state").asText());
      assertEquals(0.5, body.get("condition").get("below").asDouble());
      assertEquals(
          "/api/v1/apps/" + t.appId() + "/alerts/" + alertId,
          java.net.URI.create(created.header("Location")).getPath());

      // 10 visit, 2 sign up: 20% < 50%.
      send(http, t, visits(10, 2), 12);
      WebhookReceiver.Received fired = receiver.next(WEBHOOK_WAIT);
      WebhookReceiver.verify(fired, secret);
      JsonNode payload = fired.json();
      assertEquals("fired", payload.get("event").asText());
      assertEquals("fired", fired.header("X-Tracetics-Event"));
      assertEquals(0.2, payload.get("value").asDouble(), 1e-9);
      assertEquals(10, payload.get("entered").asLong());
      assertEquals(alertId, payload.get("alert").get("alert_id").asLong());
      assertFalse(payload.get("alert").has("secret"));
      assertFalse(fired.json().toString().contains(secret));
      assertEquals(2, payload.get("report").get("steps").get(1).get("users").asLong());
      assertTrue(payload.get("watermark").get("load_position").asLong() > 0);
      assertTrue(payload.get("data_through").isTextual());
      assertNotNull(Instant.parse(payload.get("sent_at").asText()));

      JsonNode firing = get(http, t, alertId);
      assertEquals("firing", firing.get("state").asText());
      assertFalse(firing.has("secret"));
      assertEquals("true", firing.get("last_evaluation").get("outcome").asText());
      assertEquals(10, firing.get("last_evaluation").get("entered").asLong());

      // 6 more of the 10 sign up: 80%.
      List<Map<String, Object>> more = new ArrayList<>();
      for (int i = 2; i < 8; i++) {
        more.add(event("u" + i, "signup", i + 120));
      }
      send(http, t, more, 18);
      WebhookReceiver.Received resolved = receiver.next(WEBHOOK_WAIT);
      WebhookReceiver.verify(resolved, secret);
      assertEquals("resolved", resolved.json().get("event").asText());
      assertEquals(0.8, resolved.json().get("value").asDouble(), 1e-9);
      assertFalse(
          fired.header("X-Tracetics-Delivery").equals(resolved.header("X-Tracetics-Delivery")));

      // Further loads that keep it above: no more webhooks.
      send(http, t, List.of(event("u8", "signup", 200)), 19);
      assertEquals(List.of(), receiver.rest(Duration.ofSeconds(2)));

      JsonNode ok = get(http, t, alertId);
      assertEquals("ok", ok.get("state").asText());
      JsonNode deliveries = ok.get("deliveries");
      assertEquals(2, deliveries.size(), deliveries::toString);
      assertEquals("resolved", deliveries.get(0).get("event").asText());
      assertEquals("fired", deliveries.get(1).get("event").asText());
      for (JsonNode delivery : deliveries) {
        assertEquals("delivered", delivery.get("status").asText());
        assertEquals(1, delivery.get("attempts").size());
        assertEquals(200, delivery.get("attempts").get(0).get("status_code").asInt());
        assertEquals(1, delivery.get("attempts").get(0).get("attempt").asInt());
      }

      JsonNode list =
          http.get("/api/v1/apps/" + t.appId() + "/alerts")
              .bearer(t.managementToken())
              .send()
              .successJson();
      assertEquals(1, list.get("alerts").size());
      assertFalse(list.toString().contains(secret));
      delete(http, t, alertId);
    }
  }

  @Test
  void aFailedWebhookIsRetriedAndItsAttemptsAreShown() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long funnelId = Reports.saveFunnel(http, t, FUNNEL);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.answer(500);
      JsonNode created = create(http, t, alert(funnelId, receiver.url())).successJson();
      long alertId = created.get("alert_id").asLong();
      String secret = created.get("secret").asText();
      send(http, t, visits(12, 1), 13);
      WebhookReceiver.Received first = receiver.next(WEBHOOK_WAIT);
      assertEquals(500, first.answered());
      assertEquals("1", first.header("X-Tracetics-Attempt"));
      WebhookReceiver.Received second = receiver.next(WEBHOOK_WAIT);
      assertEquals(200, second.answered());
      assertEquals("2", second.header("X-Tracetics-Attempt"));
      assertEquals(first.header("X-Tracetics-Delivery"), second.header("X-Tracetics-Delivery"));
      WebhookReceiver.verify(first, secret);
      WebhookReceiver.verify(second, secret);
      assertEquals("fired", second.json().get("event").asText());
      assertEquals(List.of(), receiver.rest(Duration.ofSeconds(1)));

      JsonNode delivery = awaitDelivered(http, t, alertId);
      JsonNode attempts = delivery.get("attempts");
      assertEquals(2, attempts.size(), delivery::toString);
      assertEquals(500, attempts.get(0).get("status_code").asInt());
      assertTrue(attempts.get(0).get("next_retry_at").isTextual(), delivery::toString);
      assertEquals(200, attempts.get(1).get("status_code").asInt());
      assertFalse(attempts.get(1).has("next_retry_at"));
      delete(http, t, alertId);
    }
  }

  /** The alert's newest delivery once it is delivered (the attempt is recorded after the reply). */
  static JsonNode awaitDelivered(Http http, Tenants.TenantApp t, long alertId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      JsonNode delivery = get(http, t, alertId).get("deliveries").get(0);
      if (delivery.get("status").asText().equals("delivered")) {
        return delivery;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not delivered: " + delivery);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void refusesBadRequestsNamingTheField() {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long funnelId = Reports.saveFunnel(http, t, FUNNEL);
    String url = "http://127.0.0.1:9/hook";

    Map<String, Object> noUrl = alert(funnelId, url);
    noUrl.remove("webhook_url");
    assertViolation(create(http, t, noUrl), 400, "webhook_url");

    Map<String, Object> ftp = alert(funnelId, "ftp://127.0.0.1/hook");
    assertViolation(create(http, t, ftp), 400, "webhook_url");

    Map<String, Object> metric = alert(funnelId, url);
    metric.put("metric", "clicks");
    assertViolation(create(http, t, metric), 400, "metric");

    Map<String, Object> condition = alert(funnelId, url);
    condition.put("condition", Map.of("below", 3));
    assertViolation(create(http, t, condition), 400, "condition.below");

    Map<String, Object> stepZero = alert(funnelId, url);
    stepZero.put("step", 0);
    assertViolation(create(http, t, stepZero), 400, "step");

    Map<String, Object> noSuchStep = alert(funnelId, url);
    noSuchStep.put("step", 2);
    assertViolation(create(http, t, noSuchStep), 422, "step");

    Map<String, Object> dropWithoutRange = alert(funnelId, url);
    dropWithoutRange.put("condition", Map.of("drop_pct", 20));
    assertViolation(create(http, t, dropWithoutRange), 422, "condition.drop_pct");

    assertError(create(http, t, alert(funnelId + 1_000_000, url)), 404, "funnel_not_found");
    assertError(
        http.get("/api/v1/apps/" + t.appId() + "/alerts/abc").bearer(t.managementToken()).send(),
        404,
        null);
  }

  static void assertViolation(Http.Response response, int status, String field) {
    JsonNode body = assertError(response, status, "invalid_alert");
    assertEquals(field, body.get("violations").get(0).get("field").asText(), response::toString);
    assertTrue(body.get("message").asText().startsWith(field + ": "), response::toString);
  }

  @Test
  void anotherTenantsAlertsAreNotFound() {
    Http http = http();
    Tenants.TenantApp owner = Tenants.create(http);
    Tenants.TenantApp other = Tenants.create(http);
    long funnelId = Reports.saveFunnel(http, owner, FUNNEL);
    long alertId =
        create(http, owner, alert(funnelId, "http://127.0.0.1:9/hook"))
            .successJson()
            .get("alert_id")
            .asLong();
    String own = "/api/v1/apps/" + owner.appId() + "/alerts";
    assertError(http.get(own).bearer(other.managementToken()).send(), 404, "app_not_found");
    assertError(
        http.get(own + "/" + alertId).bearer(other.managementToken()).send(), 404, "app_not_found");
    assertError(
        http.delete(own + "/" + alertId).bearer(other.managementToken()).send(),
        404,
        "app_not_found");
    String theirs = "/api/v1/apps/" + other.appId() + "/alerts";
    assertError(
        http.get(theirs + "/" + alertId).bearer(other.managementToken()).send(),
        404,
        "alert_not_found");
    assertError(
        http.delete(theirs + "/" + alertId).bearer(other.managementToken()).send(),
        404,
        "alert_not_found");
    assertEquals(
        0,
        http.get(theirs).bearer(other.managementToken()).send().successJson().get("alerts").size());
    // A funnel of another tenant cannot be watched either.
    assertError(
        create(http, other, alert(funnelId, "http://127.0.0.1:9/hook")), 404, "funnel_not_found");
    assertEquals(
        200, http.get(own + "/" + alertId).bearer(owner.managementToken()).send().status());
    delete(http, owner, alertId);
    assertError(
        http.get(own + "/" + alertId).bearer(owner.managementToken()).send(),
        404,
        "alert_not_found");
  }

  static void delete(Http http, Tenants.TenantApp t, long alertId) {
    Http.Response deleted =
        http.delete("/api/v1/apps/" + t.appId() + "/alerts/" + alertId)
            .bearer(t.managementToken())
            .send();
    assertEquals(204, deleted.status(), deleted::toString);
  }
}
