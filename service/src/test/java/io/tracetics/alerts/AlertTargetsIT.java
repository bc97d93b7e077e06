package io.tracetics.alerts;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With the default configuration webhooks never reach loopback or private addresses: such a
 * webhook_url is refused at creation, and an alert that points there anyway (written below the API)
 * has its attempts refused at send time, so the receiver gets nothing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AlertTargetsIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void loopbackAndPrivateTargetsAreRefusedAtCreation() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long funnelId = Reports.saveFunnel(http, t, AlertsIT.FUNNEL);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      for (String url :
          List.of(
              receiver.url(),
              "http://localhost:" + java.net.URI.create(receiver.url()).getPort() + "/hook",
              "http://[::1]:9/hook",
              "http://10.0.0.1/hook",
              "http://169.254.169.254/latest/meta-data",
              "http://[::ffff:127.0.0.1]:9/hook")) {
        Http.Response refused = create(http, t, AlertsIT.alert(funnelId, url));
        JsonNode body = assertError(refused, 400, "invalid_alert");
        assertEquals("webhook_url", body.get("violations").get(0).get("field").asText());
        assertTrue(body.get("message").asText().startsWith("webhook_url: "), refused::toString);
      }
      assertEquals(
          0,
          http.get("/api/v1/apps/" + t.appId() + "/alerts")
              .bearer(t.managementToken())
              .send()
              .successJson()
              .get("alerts")
              .size());
      sendVisits(http, t);
      assertEquals(List.of(), receiver.rest(Duration.ofSeconds(2)));
    }
  }

  @Test
  void aLoopbackTargetThatGotInAnywayIsRefusedAtSendTime() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long funnelId = Reports.saveFunnel(http, t, AlertsIT.FUNNEL);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      long alertId = insertAlert(t, funnelId, receiver.url());
      sendVisits(http, t);
      JsonNode attempt = awaitFirstAttempt(http, t, alertId);
      assertEquals("refused_target", attempt.get("error").asText(), attempt::toString);
      assertTrue(attempt.get("next_retry_at").isTextual());
      assertEquals(List.of(), receiver.rest(Duration.ofSeconds(1)));
      AlertsIT.delete(http, t, alertId);
    }
  }

  /** 10 visit, 2 sign up: what fires the alerts of {@link AlertsIT#alert}. */
  private static void sendVisits(Http http, Tenants.TenantApp t) throws InterruptedException {
    Http.Response sent =
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", AlertsIT.visits(10, 2)))
            .send();
    assertEquals(12, sent.json().path("accepted").asInt(), sent::toString);
    Reports.awaitLoaded(APP, t.appId(), 12);
  }

  private static Http.Response create(Http http, Tenants.TenantApp t, Map<String, Object> alert) {
    return http.post("/api/v1/apps/" + t.appId() + "/alerts")
        .bearer(t.managementToken())
        .json(alert)
        .send();
  }

  /** An alert as the API would store it, but with a target the API refuses. */
  private static long insertAlert(Tenants.TenantApp t, long funnelId, String url) throws Exception {
    try (Connection c = TestServers.get().connect();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO alerts (tenant_id, app_id, funnel_id, step, metric, condition_kind,"
                    + " threshold, min_entered, webhook_url, secret, created_at_ms)"
                    + " VALUES (?, ?, ?, 1, 'conversion_from_first', 'below', 0.5, 10, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
      insert.setLong(1, t.tenantId());
      insert.setLong(2, t.appId());
      insert.setLong(3, funnelId);
      insert.setString(4, url);
      insert.setString(5, WebhookSignature.newSecret());
      insert.setLong(6, System.currentTimeMillis());
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  private static JsonNode awaitFirstAttempt(Http http, Tenants.TenantApp t, long alertId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode deliveries = AlertsIT.get(http, t, alertId).get("deliveries");
      if (deliveries.size() > 0 && deliveries.get(0).get("attempts").size() > 0) {
        return deliveries.get(0).get("attempts").get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no attempt: " + deliveries);
      }
      Thread.sleep(100);
    }
  }
}
