package io.tracetics.ingest;

import static io.tracetics.ingest.IngestFixtures.countEvents;
import static io.tracetics.ingest.IngestFixtures.event;
import static io.tracetics.ingest.IngestFixtures.keyed;
import static io.tracetics.ingest.IngestFixtures.newSender;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.ingest.IngestFixtures.Sender;
import io.tracetics.testing.Http;
import io.tracetics.testing.TcpProxy;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An instance that reaches MariaDB through a proxy the test cuts: 503 fast, nothing stored. */
@ExtendWith(DropwizardExtensionsSupport.class)
class IngestDatabaseDownIT {
  static final TcpProxy PROXY = TestServers.get().proxyToMariaDb();
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension(
          "test-config.yml", Map.of("database.url", IngestDatabaseDownIT::proxiedUrl));

  static String proxiedUrl() {
    return TestServers.get().jdbcUrlThrough(PROXY);
  }

  @AfterAll
  static void closeProxy() {
    PROXY.close();
  }

  @Test
  void databaseDownIs503FastWithRetryAfterAndNothingIsStored() throws Exception {
    Http http = new Http(APP.getLocalPort());
    Sender sender = newSender(http);
    Http.Response warm = keyed(http.post("/api/v1/events"), sender).body(IngestIT.SEED_BODY).send();
    assertEquals(200, warm.status(), warm::toString);

    PROXY.cut();
    try {
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Callable<Http.Response>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String id = "down-" + i;
        calls.add(
            () ->
                keyed(http.post("/api/v1/events"), sender)
                    .body(
                        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":\""
                            + id
                            + "\"}")
                    .send());
      }
      calls.add(
          () ->
              keyed(http.post("/api/v1/events/batch"), sender)
                  .json(
                      Map.of(
                          "events",
                          List.of(event("a", "u", "down-b1"), event("a", "u", "down-b2"))))
                  .send());
      long started = System.nanoTime();
      List<Future<Http.Response>> results = pool.invokeAll(calls);
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      pool.shutdownNow();
      for (Future<Http.Response> result : results) {
        Http.Response response = result.get();
        assertEquals(503, response.status(), response::toString);
        assertEquals("database_unavailable", response.json().get("error").asText());
        assertEquals(503, response.json().get("code").asInt());
        assertTrue(Long.parseLong(response.header("Retry-After")) >= 1);
        assertFalse(response.text().toLowerCase().contains("sql"), "no internals");
      }
      assertTrue(elapsedMs < 8_000, "503 comes quickly, took " + elapsedMs + " ms");
    } finally {
      PROXY.restore();
    }
    assertEquals(
        0,
        IngestFixtures.queryLong(
            "SELECT COUNT(*) FROM events WHERE app_id = ? AND client_event_id LIKE 'down-%'",
            sender.appId()),
        "nothing was acknowledged, nothing was stored");

    try (var direct = java.sql.DriverManager.getConnection(proxiedUrl(), "root", "")) {
      assertTrue(direct.isValid(2), "the proxy forwards again");
    }
    // When the database is back, ingest recovers by itself.
    int status = 0;
    for (int attempt = 0; attempt < 40 && status != 200; attempt++) {
      status =
          keyed(http.post("/api/v1/events"), sender)
              .body("{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":\"back\"}")
              .send()
              .status();
      if (status != 200) {
        Thread.sleep(250);
      }
    }
    assertEquals(200, status, "ingest works again once MariaDB is reachable");
    assertEquals(2, countEvents(sender.appId()));
  }
}
