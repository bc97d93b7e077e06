package io.tracetics.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsApplication;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.embedded.RedisServer;

/** The loader keeps going while Redis is down (polling MariaDB) and follows notices again after. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RedisOutageIT {
  static final int REDIS_PORT = TestServers.freePort();
  static final RedisServer REDIS = startRedis();
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension(
          "test-config.yml", Map.of("redis.url", () -> "redis://127.0.0.1:" + REDIS_PORT));

  static RedisServer startRedis() {
    try {
      RedisServer server = RedisServer.newRedisServer().port(REDIS_PORT).bind("127.0.0.1").build();
      server.start();
      return server;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (REDIS.isActive()) {
      REDIS.stop();
    }
  }

  @Test
  void loaderFallsBackToMariaDbAndCatchesUpWhenRedisReturns() throws Exception {
    Http http = new Http(APP.getLocalPort());
    long appId = Tenants.create(http).appId();
    AnalyticsStore store = ((TraceticsApplication) APP.getApplication()).analyticsStore();
    List<Long> written = new ArrayList<>(write(appId, 5));
    PipelineIT.awaitCount(store, appId, written.size(), Duration.ofSeconds(30));

    assertEquals("redis://127.0.0.1:" + REDIS_PORT, APP.getConfiguration().getRedis().url);
    REDIS.stop();
    awaitRedisRefusing();
    written.addAll(write(appId, 7));
    PipelineIT.awaitCount(store, appId, written.size(), Duration.ofSeconds(30));
    assertEquals(written, PipelineIT.duckDbIds(store, appId));
    Http.Response status = http.get("/api/v1/pipeline").bearer(TestApp.OPERATOR_TOKEN).send();
    assertEquals("unavailable", status.json().get("queue").get("redis").asText(), status::toString);
    assertTrue(status.json().get("queue").get("redis_failures").asLong() > 0);

    REDIS.start();
    // A notice posted now is consumed and acknowledged once its events are loaded.
    written.addAll(write(appId, 3));
    try (RedisClient redis = RedisClient.create("redis://127.0.0.1:" + REDIS_PORT)) {
      redis.xadd(
          NoticeConsumer.STREAM,
          XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY),
          Map.of("batch", "0", "events", "3", "apps", Long.toString(appId)));
      PipelineIT.awaitCount(store, appId, written.size(), Duration.ofSeconds(30));
      assertEquals(written, PipelineIT.duckDbIds(store, appId));
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      String redisState = "";
      long pending = -1;
      while (System.nanoTime() < deadline) {
        var queue = http.get("/api/v1/pipeline").bearer(TestApp.OPERATOR_TOKEN).send().json();
        redisState = queue.get("queue").get("redis").asText();
        pending = queue.get("queue").path("pending_notices").asLong(-1);
        if ("up".equals(redisState) && pending == 0) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals("up", redisState);
      assertEquals(0, pending, "notices are acknowledged after the load");
    }
  }

  private static void awaitRedisRefusing() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", REDIS_PORT), 200);
      } catch (java.io.IOException refused) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Redis did not stop");
  }

  private static List<Long> write(long appId, int batches) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      ids.addAll(
          EventWriter.writeBatch(
              appId,
              List.of(
                  new EventWriter.Event("u" + i, "visit", System.currentTimeMillis(), null),
                  new EventWriter.Event("u" + i, "signup", System.currentTimeMillis(), "{}")),
              0,
              false));
    }
    return ids;
  }
}
