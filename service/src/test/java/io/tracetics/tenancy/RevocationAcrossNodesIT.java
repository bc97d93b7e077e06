package io.tracetics.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.Tenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two service processes on one MariaDB: an API key and a share link revoked on one node stop
 * working there at once and on the other within the key cache's lifetime ({@code
 * tenancy.keyCacheTtl}, 2 s here), though the other node had them cached.
 */
class RevocationAcrossNodesIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration TTL = Duration.ofSeconds(2);

  /** Scheduling slack on a loaded 2-core machine, on top of the TTL. */
  private static final Duration SLACK = Duration.ofMillis(1_500);

  private final List<ServiceProcess> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(ServiceProcess::close);
  }

  @Test
  @Timeout(240)
  void revokedOnOneNodeRefusedOnTheOtherWithinTheCacheLifetime() throws Exception {
    Path root =
        Files.createDirectories(Path.of("target", "it-processes"))
            .resolve("revocation-" + System.currentTimeMillis())
            .toAbsolutePath();
    CompletableFuture<ServiceProcess> startingA =
        CompletableFuture.supplyAsync(() -> start("revoke-a", root.resolve("a")));
    CompletableFuture<ServiceProcess> startingB =
        CompletableFuture.supplyAsync(() -> start("revoke-b", root.resolve("b")));
    Http a = startingA.get().http();
    Http b = startingB.get().http();

    Tenants.TenantApp t = Tenants.create(a);
    Http.Response created =
        a.post("/api/v1/tenant/api-keys")
            .bearer(t.managementToken())
            .json(Map.of("name", "ci", "scopes", List.of("reports:read")))
            .send();
    assertEquals(201, created.status(), created::toString);
    String key = created.json().get("key").asText();
    long keyId = created.json().get("key_id").asLong();
    long funnel =
        Reports.saveFunnel(
            a,
            t,
            """
            {"name": "Signup", "window_seconds": 3600,
             "steps": [{"event_name": "visit"}, {"event_name": "signup"}]}
            """);
    Http.Response shared =
        a.post("/api/v1/apps/" + t.appId() + "/funnels/" + funnel + "/shares")
            .bearer(t.managementToken())
            .body("{}")
            .send();
    assertEquals(201, shared.status(), shared::toString);
    String token = shared.json().get("token").asText();
    long shareId = shared.json().get("share_id").asLong();

    // Node B has both cached as valid.
    Supplier<Integer> keyOnB = () -> b.get("/api/v1/apps").bearer(key).send().status();
    Supplier<Integer> shareOnB = () -> b.get("/api/v1/shared/" + token + "/report").send().status();
    assertEquals(200, keyOnB.get());
    assertEquals(200, shareOnB.get());

    assertEquals(
        204,
        a.delete("/api/v1/tenant/api-keys/" + keyId).bearer(t.managementToken()).send().status());
    assertEquals(401, a.get("/api/v1/apps").bearer(key).send().status(), "at once on node A");
    Duration keyGone = awaitStatus(keyOnB, 401);

    assertEquals(
        204,
        a.delete("/api/v1/apps/" + t.appId() + "/funnels/" + funnel + "/shares/" + shareId)
            .bearer(t.managementToken())
            .send()
            .status());
    assertEquals(404, a.get("/api/v1/shared/" + token + "/report").send().status());
    Duration shareGone = awaitStatus(shareOnB, 404);

    for (Duration gone : List.of(keyGone, shareGone)) {
      assertTrue(gone.compareTo(TTL.plus(SLACK)) <= 0, () -> "refused on node B after " + gone);
    }
  }

  /** How long until {@code call} answers {@code status}; fails after a generous bound. */
  private static Duration awaitStatus(Supplier<Integer> call, int status) throws Exception {
    long start = System.nanoTime();
    while (call.get() != status) {
      if (System.nanoTime() - start > Duration.ofSeconds(30).toNanos()) {
        throw new AssertionError("still not " + status + " after 30 s");
      }
      Thread.sleep(100);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private ServiceProcess start(String name, Path dataDir) {
    ServiceProcess node =
        ServiceProcess.start(
            ServiceProcess.options(name, dataDir)
                .set("tenancy.keyCacheTtl", TTL.toSeconds() + "s")
                .set("tenancy.unknownKeyCacheTtl", "1s"),
            START);
    synchronized (started) {
      started.add(node);
    }
    return node;
  }
}
