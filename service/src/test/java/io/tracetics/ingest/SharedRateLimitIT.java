package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.tracetics.ids.AppId;
import io.tracetics.queue.RedisConfig;
import io.tracetics.queue.RedisFactory;
import io.tracetics.testing.TcpProxy;
import io.tracetics.testing.TestServers;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The cluster-wide limiter on the real Redis, each "node" with its own client: two nodes hammered
 * concurrently admit the shared limit together; one node whose Redis is cut falls back to its
 * per-node limit and returns to the shared bucket when Redis answers again. Prints the limiter's
 * cost per request next to the per-node limiter's. Keys are namespaced per test run.
 */
class SharedRateLimitIT {
  private final String prefix = "tracetics-test:ratelimit:" + UUID.randomUUID() + ":";
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private RedisClient redis(String url) {
    RedisConfig config = new RedisConfig();
    config.url = url;
    config.timeout = io.dropwizard.util.Duration.milliseconds(500);
    RedisClient client = RedisFactory.build(config);
    closing.add(client);
    return client;
  }

  private ClusterRateLimiter node(
      RedisClient redis, double rate, double burst, long lease, MetricRegistry metrics) {
    return new ClusterRateLimiter(
        new RedisSharedBuckets(redis, prefix, rate, burst, Duration.ofMillis(500)),
        new AppRateLimiter(rate / 2, burst / 2, System::nanoTime),
        rate,
        burst,
        lease,
        Duration.ofMillis(300),
        System::nanoTime,
        metrics);
  }

  @Test
  void twoNodesTogetherAdmitTheLimitNotTwiceIt() throws Exception {
    // 2,000 at once, then 1 per second: a few seconds of hammering admit 2,000 plus the refill.
    ClusterRateLimiter a =
        node(redis(TestServers.get().redisUrl()), 1, 2_000, 50, new MetricRegistry());
    ClusterRateLimiter b =
        node(redis(TestServers.get().redisUrl()), 1, 2_000, 50, new MetricRegistry());
    AppId app = new AppId(Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L));
    AtomicLong admitted = new AtomicLong();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      ClusterRateLimiter node = t % 2 == 0 ? a : b;
      senders.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 1_500; i++) {
                  if (node.acquire(app, 1).admitted()) {
                    admitted.incrementAndGet();
                  }
                }
              }));
    }
    for (Future<?> sender : senders) {
      sender.get();
    }
    pool.shutdown();
    long seconds = (long) Math.ceil((System.nanoTime() - started) / 1e9);
    System.out.printf(
        "SharedRateLimitIT: 6000 requests on two nodes in %d s admitted %d (limit 2000 + 1/s)%n",
        seconds, admitted.get());
    assertTrue(admitted.get() <= 2_000 + seconds, "admitted " + admitted.get());
    assertTrue(admitted.get() >= 2_000 - 2 * 50, "at most a lease per node lost: " + admitted);
  }

  @Test
  void aNodeCutOffFromRedisEnforcesItsShareAndComesBack() throws Exception {
    URI redis = URI.create(TestServers.get().redisUrl());
    try (TcpProxy proxy =
        TcpProxy.start(redis.getHost(), redis.getPort() > 0 ? redis.getPort() : 6379)) {
      MetricRegistry metrics = new MetricRegistry();
      ClusterRateLimiter node =
          node(redis("redis://127.0.0.1:" + proxy.port()), 1, 100, 0, metrics);
      AppId app = new AppId(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L));
      for (int i = 0; i < 100; i++) {
        assertTrue(node.acquire(app, 1).admitted(), "request " + i);
      }
      assertFalse(node.acquire(app, 1).admitted(), "the shared bucket is empty");

      proxy.cut();
      // Until the bucket could hold a token again the node refuses without asking Redis.
      Thread.sleep(1_100);
      long admitted = 0;
      for (int i = 0; i < 100; i++) {
        if (node.acquire(app, 1).admitted()) {
          admitted++;
        }
      }
      assertEquals(50, admitted, "the per-node fallback: half the burst");
      assertTrue(node.degraded());
      assertEquals(
          1, metrics.getGauges().get(IngestMetrics.PREFIX + "rateLimit.degraded").getValue());

      proxy.restore();
      Thread.sleep(400); // past the retry interval
      RateLimitDecision back = node.acquire(app, 1);
      assertFalse(node.degraded(), "Redis answers again");
      assertTrue(back.status().remaining() < 10, "the shared bucket's state, not the fallback's");
    }
  }

  @Test
  void costPerRequest() {
    RedisClient client = redis(TestServers.get().redisUrl());
    ClusterRateLimiter cluster = node(client, 1_000_000, 1_000_000, 100, new MetricRegistry());
    AppRateLimiter local = new AppRateLimiter(1_000_000, 1_000_000, System::nanoTime);
    AppId app = new AppId(Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L));
    int n = 200_000;
    for (int round = 0; round < 2; round++) { // the first round warms up
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        local.acquire(app, 1);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        cluster.acquire(app, 1);
      }
      long t2 = System.nanoTime();
      if (round == 1) {
        System.out.printf(
            "SharedRateLimitIT: per single-event request: per-node %.2f us, cluster-wide"
                + " (lease 100) %.2f us%n",
            (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n);
      }
    }
  }
}
