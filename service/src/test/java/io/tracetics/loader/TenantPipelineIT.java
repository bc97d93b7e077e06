package io.tracetics.loader;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /api/v1/tenant/pipeline: a tenant sees its own apps' backlog and rate, no one else's. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TenantPipelineIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void aTenantSeesItsOwnAppsOnly() throws Exception {
    Http http = http();
    Tenants.TenantApp alice = Tenants.create(http);
    Tenants.TenantApp bob = Tenants.create(http);
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      events.add(Map.of("event_name", "visit", "user_identifier", "u" + i));
    }
    Http.Response sent =
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", alice.tenantKey())
            .header("X-OL-App-Key", alice.appKey())
            .json(Map.of("events", events))
            .send();
    assertEquals(200, sent.status(), sent::toString);

    // Eventually loaded: 25 queryable, none waiting, all received within the last minute.
    JsonNode status = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      status = http.get("/api/v1/tenant/pipeline").bearer(alice.managementToken()).send().json();
      if (status.get("apps").get(0).get("loaded_events").asLong() == 25) {
        break;
      }
      Thread.sleep(100);
    }
    JsonNode app = status.get("apps").get(0);
    assertEquals(1, status.get("apps").size(), status::toString);
    assertEquals(alice.appId(), app.get("app_id").asLong());
    assertEquals(25, app.get("loaded_events").asLong(), status::toString);
    assertEquals(0, app.get("waiting_events").asLong());
    assertEquals(0, app.get("lag_ms").asLong());
    assertEquals(25, app.get("events_last_minute").asLong());
    assertEquals(0, app.get("quarantined_events").asLong());
    assertTrue(app.get("loaded_through").isTextual());
    assertEquals(25, status.get("ingest").get("events_last_minute").asLong());
    assertEquals(0, status.get("queue").get("waiting_events").asLong());
    assertEquals("up", status.get("queue").get("redis").asText());
    assertTrue(status.get("loader").get("failed_batches").isNumber());
    assertTrue(status.get("loader").get("lag_ms").get("p95").isNumber());
    assertTrue(status.get("loader").get("position").asLong() >= 0);

    // Bob sees his own (empty) app and nothing of Alice's.
    JsonNode bobs = http.get("/api/v1/tenant/pipeline").bearer(bob.managementToken()).send().json();
    assertEquals(1, bobs.get("apps").size());
    assertEquals(bob.appId(), bobs.get("apps").get(0).get("app_id").asLong());
    assertEquals(0, bobs.get("apps").get(0).get("loaded_events").asLong());
    assertEquals(0, bobs.get("ingest").get("events_last_minute").asLong());
  }

  @Test
  void needsAManagementToken() {
    assertError(http().get("/api/v1/tenant/pipeline").send(), 401, null);
    assertError(
        http().get("/api/v1/tenant/pipeline").bearer(TestApp.OPERATOR_TOKEN).send(), 401, null);
  }
}
