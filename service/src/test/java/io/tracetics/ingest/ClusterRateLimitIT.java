package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.testing.Http;
import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.TcpProxy;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestServers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two service processes on one MariaDB and Redis share each app's rate limit: together they admit
 * the configured burst, not twice it. Then one node's Redis is cut (a proxy in front of it): that
 * node enforces its per-node share (the limit divided by the expected two nodes) and says so on its
 * admin port's {@code /prometheus}.
 */
class ClusterRateLimitIT {
  private static final int BURST = 40;
  private final List<AutoCloseable> started = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : started) {
      c.close();
    }
  }

  @Test
  @Timeout(240)
  void twoNodesAdmitTheLimitTogetherAndACutOffNodeItsShare() throws Exception {
    URI redis = URI.create(TestServers.get().redisUrl());
    TcpProxy proxy = TcpProxy.start(redis.getHost(), redis.getPort() > 0 ? redis.getPort() : 6379);
    started.add(proxy);
    Path root =
        Files.createDirectories(Path.of("target", "it-processes"))
            .resolve("ratelimit-" + System.currentTimeMillis())
            .toAbsolutePath();
    CompletableFuture<ServiceProcess> startingA =
        CompletableFuture.supplyAsync(() -> start(options("ratelimit-a", root.resolve("a"))));
    CompletableFuture<ServiceProcess> startingB =
        CompletableFuture.supplyAsync(
            () ->
                start(
                    options("ratelimit-b", root.resolve("b"))
                        .redisUrl("redis://127.0.0.1:" + proxy.port())));
    ServiceProcess a = startingA.get();
    ServiceProcess b = startingB.get();
    Tenants.TenantApp app = Tenants.create(a.http());

    long since = System.nanoTime();
    int admitted = 0;
    Http.Response last = null;
    for (int i = 0; i < 2 * BURST; i++) {
      last = send(i % 2 == 0 ? a : b, app);
      if (last.status() == 200) {
        admitted++;
      } else {
        assertEquals(429, last.status(), last::toString);
      }
    }
    long seconds = (long) Math.ceil((System.nanoTime() - since) / 1e9);
    System.out.printf(
        "ClusterRateLimitIT: %d requests on two nodes in %d s admitted %d (burst %d, 1/s)%n",
        2 * BURST, seconds, admitted, BURST);
    assertTrue(admitted <= BURST + seconds, "admitted " + admitted);
    assertTrue(admitted >= BURST - 2 * 2, "at most a lease of 2 per node lost: " + admitted);
    assertEquals(String.valueOf(BURST), last.header("RateLimit-Limit"));
    assertEquals(0, degraded(a));
    assertEquals(0, degraded(b));

    // B loses Redis. Once the bucket could hold a token again it asks Redis, fails, and falls back.
    proxy.cut();
    Thread.sleep(1_500);
    int admittedByB = 0;
    for (int i = 0; i < BURST; i++) {
      if (send(b, app).status() == 200) {
        admittedByB++;
      }
    }
    assertTrue(
        admittedByB >= BURST / 2 && admittedByB <= BURST / 2 + 2,
        "the per-node share of the burst: " + admittedByB);
    assertEquals(1, degraded(b), "the degraded node says so");
    assertEquals(0, degraded(a), "the other still shares the bucket");
  }

  private static Http.Response send(ServiceProcess node, Tenants.TenantApp app) {
    return node.http()
        .post("/api/v1/events")
        .header(EventsResource.TENANT_KEY, app.tenantKey())
        .header(EventsResource.APP_KEY, app.appKey())
        .body("{\"event_name\": \"e\", \"user_identifier\": \"u\"}")
        .send();
  }

  /** The node's {@code io_tracetics_ingest_rateLimit_degraded} gauge. */
  private static int degraded(ServiceProcess node) {
    String text = node.admin("/prometheus").text();
    Matcher m =
        Pattern.compile("(?m)^io_tracetics_ingest_rateLimit_degraded ([0-9.]+)$").matcher(text);
    assertTrue(m.find(), "the gauge is exported");
    return (int) Double.parseDouble(m.group(1));
  }

  private static ServiceProcess.Options options(String name, Path dataDir) {
    return ServiceProcess.options(name, dataDir)
        .set("ingest.rateLimitEventsPerSecond", "1")
        .set("ingest.rateLimitBurst", String.valueOf(BURST))
        .set("ingest.rateLimitExpectedNodes", "2")
        .set("ingest.rateLimitRedisRetry", "30s");
  }

  private ServiceProcess start(ServiceProcess.Options options) {
    ServiceProcess node = ServiceProcess.start(options, Duration.ofSeconds(90));
    synchronized (started) {
      started.add(node);
    }
    return node;
  }
}
