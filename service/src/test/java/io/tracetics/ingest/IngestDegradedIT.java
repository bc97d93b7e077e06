package io.tracetics.ingest;

import static io.tracetics.ingest.IngestFixtures.countEvents;
import static io.tracetics.ingest.IngestFixtures.event;
import static io.tracetics.ingest.IngestFixtures.keyed;
import static io.tracetics.ingest.IngestFixtures.newSender;
import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.ingest.IngestFixtures.Sender;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An instance whose Redis is down (nothing listens on its port) and whose per-app rate limit is
 * tiny (1 event/s, burst 5).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class IngestDegradedIT {
  static final int DEAD_REDIS_PORT = TestServers.freePort();
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension(
          "test-config-ingest-limited.yml",
          Map.of("redis.url", () -> "redis://127.0.0.1:" + DEAD_REDIS_PORT));

  Http http;

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
  }

  @Test
  void ingestSucceedsWhileRedisIsDownAndCountsTheLostNotice() throws Exception {
    Sender sender = newSender(http);
    Http.Response response =
        keyed(http.post("/api/v1/events"), sender).body(IngestIT.SEED_BODY).send();
    assertEquals(200, response.status(), response::toString);
    assertEquals(1, countEvents(sender.appId()));

    Http admin = new Http(APP.getAdminPort());
    long failures = 0;
    for (int attempt = 0; attempt < 50 && failures == 0; attempt++) {
      JsonNode meters = admin.get("/metrics").send().json().get("meters");
      failures = meters.get("io.tracetics.ingest.notices.failures").get("count").asLong();
      if (failures == 0) {
        Thread.sleep(100);
      }
    }
    assertTrue(failures >= 1, "the notice that could not be sent is counted");
  }

  @Test
  void perAppRateLimitIs429WithRetryAfterAndStoresNothing() {
    Sender sender = newSender(http);
    Http.Response burst =
        keyed(http.post("/api/v1/events/batch"), sender)
            .json(
                Map.of(
                    "events",
                    List.of(
                        event("a", "u"),
                        event("a", "u"),
                        event("a", "u"),
                        event("a", "u"),
                        event("a", "u"))))
            .send();
    assertEquals(200, burst.status(), burst::toString);
    assertEquals(5, burst.json().get("accepted").asInt());
    // The app's standing (draft-ietf-httpapi-ratelimit-headers-06): burst 5, none left, full in 5
    // s.
    assertEquals("5", burst.header("RateLimit-Limit"));
    assertEquals("0", burst.header("RateLimit-Remaining"));
    assertEquals("5", burst.header("RateLimit-Reset"));
    assertTrue(
        burst.header("Access-Control-Expose-Headers").contains("RateLimit-Remaining"),
        "pages can read them");

    Http.Response limited =
        keyed(http.post("/api/v1/events"), sender).body(IngestIT.SEED_BODY).send();
    JsonNode body = assertError(limited, 429, "rate_limited");
    assertEquals(1, body.get("limit_per_second").asLong());
    assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
    assertEquals("5", limited.header("RateLimit-Limit"));
    assertEquals("0", limited.header("RateLimit-Remaining"));
    assertTrue(Long.parseLong(limited.header("RateLimit-Reset")) >= 4);
    assertEquals(5, countEvents(sender.appId()));

    Sender other = newSender(http);
    Http.Response otherApp =
        keyed(http.post("/api/v1/events"), other).body(IngestIT.SEED_BODY).send();
    assertEquals(200, otherApp.status(), "the limit is per app");
    assertEquals("4", otherApp.header("RateLimit-Remaining"));
  }
}
