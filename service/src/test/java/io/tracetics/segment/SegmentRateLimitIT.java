package io.tracetics.segment;

import static io.tracetics.segment.SegmentFixtures.events;
import static io.tracetics.segment.SegmentFixtures.newSource;
import static io.tracetics.segment.SegmentFixtures.post;
import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.segment.SegmentFixtures.Source;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The native per-app rate limit (here 1 event/s, burst 5) on the Segment-compatible endpoints. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SegmentRateLimitIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension("test-config-ingest-limited.yml", Map.of());

  @Test
  void beyondTheBurstIs429WithRetryAfterAndStoresNothing() {
    Http http = new Http(APP.getLocalPort());
    Source source = newSource(http);
    List<Object> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(Map.of("type", "track", "userId", "u", "event", "e" + i));
    }
    Http.Response burst = post(http, "/v1/batch", source).json(Map.of("batch", five)).send();
    assertEquals(200, burst.status(), burst::toString);
    assertEquals(5, burst.json().get("accepted").asInt());
    assertEquals("5", burst.header("RateLimit-Limit"));
    assertEquals("0", burst.header("RateLimit-Remaining"));

    Http.Response limited =
        post(http, "/v1/track", source).body("{\"userId\": \"u\", \"event\": \"x\"}").send();
    JsonNode body = assertError(limited, 429, "rate_limited");
    assertEquals(1, body.get("limit_per_second").asLong());
    assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
    assertEquals("0", limited.header("RateLimit-Remaining"));
    assertTrue(Long.parseLong(limited.header("RateLimit-Reset")) >= 4);
    assertError(
        post(http, "/v1/batch", source).json(Map.of("batch", five)).send(), 429, "rate_limited");
    assertEquals(5, events(source.appId()));

    Source other = newSource(http);
    assertEquals(
        200,
        post(http, "/v1/track", other)
            .body("{\"userId\": \"u\", \"event\": \"x\"}")
            .send()
            .status(),
        "the limit is per app");
  }
}
