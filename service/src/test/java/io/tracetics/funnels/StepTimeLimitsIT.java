package io.tracetics.funnels;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-step time limits ({@code within_seconds}) through the real API: a saved funnel keeps them,
 * its report counts with them (the chain takes the cart that reaches the purchase in time, not the
 * first one), the trace names a purchase that came too late, and bad limits are 422s that save
 * nothing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StepTimeLimitsIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  /** Buy within 10 minutes of the cart, all within an hour of the view. */
  static final String FUNNEL =
      """
      {"name": "quick buyers", "window_seconds": 3600, "order": "ordered",
       "steps": [{"event_name": "view"},
                 {"event_name": "cart"},
                 {"event_name": "buy", "within_seconds": 600}]}
      """;

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void aSavedFunnelCountsWithItsLimitsAndTheTraceNamesThem() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    List<Map<String, Object>> events = new ArrayList<>();
    // second-cart: the cart at +5 min is 43 min before the buy; the one at +40 min is 8 min.
    events.add(event("second-cart", "view", t0));
    events.add(event("second-cart", "cart", t0.plusSeconds(300)));
    events.add(event("second-cart", "cart", t0.plusSeconds(2400)));
    events.add(event("second-cart", "buy", t0.plusSeconds(2880)));
    // just-in-time: the buy exactly 10 minutes after the cart.
    events.add(event("just-in-time", "view", t0));
    events.add(event("just-in-time", "cart", t0.plusSeconds(60)));
    events.add(event("just-in-time", "buy", t0.plusSeconds(660)));
    // too-late: the buy 11 minutes after the cart, well inside the hour.
    events.add(event("too-late", "view", t0));
    events.add(event("too-late", "cart", t0.plusSeconds(300)));
    events.add(event("too-late", "buy", t0.plusSeconds(960)));
    Http.Response sent =
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", events))
            .send();
    assertEquals(events.size(), sent.json().get("accepted").asInt(), sent::toString);

    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    Http.Response created = http.post(base).bearer(t.managementToken()).body(FUNNEL).send();
    assertEquals(201, created.status(), created::toString);
    assertEquals(600, created.json().get("steps").get(2).get("within_seconds").asLong());
    assertFalse(created.json().get("steps").get(1).has("within_seconds"), created::toString);
    long id = created.json().get("funnel_id").asLong();
    JsonNode got = http.get(base + "/" + id).bearer(t.managementToken()).send().json();
    assertEquals(created.json().get("steps"), got.get("steps"));

    JsonNode report = awaitUsers(http, t, base + "/" + id + "/report", List.of(3L, 3L, 2L));
    // Time to buy: 8 min (second-cart's later cart) and 10 min (just-in-time).
    assertEquals(
        540.0,
        report.get("steps").get(2).get("time_to_convert").get("median_seconds").asDouble(),
        1e-9);
    // Without the limit all three buy.
    JsonNode unlimited =
        http.post(base + "/report")
            .bearer(t.managementToken())
            .body(FUNNEL.replace(", \"within_seconds\": 600", ""))
            .send()
            .json();
    assertEquals(List.of(3L, 3L, 3L), Reports.users(unlimited.get("steps")), unlimited::toString);

    JsonNode trace =
        http.get(base + "/" + id + "/users/too-late/trace")
            .bearer(t.managementToken())
            .send()
            .json();
    assertEquals(1, trace.get("reached_step").asInt(), trace::toString);
    JsonNode late = trace.get("next_step").get("candidates").get(0);
    assertEquals("step_time_limit", late.get("reason").asText(), trace::toString);
    assertEquals(600.0, late.get("within_seconds").asDouble(), 1e-9);
    assertEquals(60.0, late.get("excess_seconds").asDouble(), 1e-9);
    assertEquals(t0.plusSeconds(900).toString(), late.get("limit_end").asText());
    JsonNode chain =
        http.get(base + "/" + id + "/users/second-cart/trace")
            .bearer(t.managementToken())
            .send()
            .json()
            .get("chain");
    assertEquals(t0.plusSeconds(2400).toString(), chain.get(1).get("time").asText());
  }

  @Test
  void badLimitsAre422sNamingTheStep() {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    record Bad(String definition, String code) {}
    List<Bad> bad =
        List.of(
            new Bad(
                FUNNEL.replace(
                    "{\"event_name\": \"view\"}",
                    "{\"event_name\": \"view\", \"within_seconds\": 60}"),
                "within_on_first_step"),
            new Bad(FUNNEL.replace("\"ordered\"", "\"unordered\""), "within_needs_order"),
            new Bad(within("3601"), "within_exceeds_window"),
            new Bad(within("0"), "invalid_within"));
    for (Bad b : bad) {
      JsonNode error =
          assertError(
              http.post(base).bearer(t.managementToken()).body(b.definition()).send(),
              422,
              "invalid_funnel");
      JsonNode violation = error.get("violations").get(0);
      assertEquals(b.code(), violation.get("code").asText(), error::toString);
      assertTrue(violation.get("field").asText().endsWith("].within_seconds"), error::toString);
      assertError(
          http.post(base + "/report").bearer(t.managementToken()).body(b.definition()).send(),
          422,
          "invalid_funnel");
    }
    assertEquals(0, http.get(base).bearer(t.managementToken()).send().json().get("funnels").size());
  }

  /** {@link #FUNNEL} with the buy step's limit set to {@code seconds}. */
  private static String within(String seconds) {
    return FUNNEL.replace("\"within_seconds\": 600", "\"within_seconds\": " + seconds);
  }

  private static JsonNode awaitUsers(Http http, Tenants.TenantApp t, String path, List<Long> want)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode report = null;
    while (System.nanoTime() < deadline) {
      report = http.get(path).bearer(t.managementToken()).send().json();
      if (Reports.users(report.get("steps")).equals(want)) {
        return report;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("report never reached " + want + ": " + report);
  }

  private static Map<String, Object> event(String user, String name, Instant at) {
    return Map.of(
        "event_name",
        name,
        "user_identifier",
        user,
        "timestamp",
        at.toString(),
        "metadata",
        Map.of());
  }
}
