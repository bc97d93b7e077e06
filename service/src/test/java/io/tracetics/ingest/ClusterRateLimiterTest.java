package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.tracetics.ids.AppId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClusterRateLimiterTest {
  static final long SECOND = 1_000_000_000L;

  final AtomicLong now = new AtomicLong(SECOND);
  final FakeShared shared = new FakeShared();
  final AppId app = new AppId(7);

  /** A token bucket per app in memory, on the test's clock, that can be made to fail. */
  final class FakeShared implements SharedBuckets {
    final double rate = 10;
    final double burst = 1_000;
    final Map<AppId, double[]> buckets = new HashMap<>();
    int exchanges;
    boolean down;

    private double[] bucket(AppId app) {
      if (down) {
        throw new IllegalStateException("Redis is down");
      }
      exchanges++;
      double[] b = buckets.computeIfAbsent(app, a -> new double[] {burst, now.get()});
      b[0] = RateLimitRules.refilled(b[0], now.get() - (long) b[1], rate, burst);
      b[1] = now.get();
      return b;
    }

    @Override
    public synchronized Taken tryTake(AppId app, long tokens) {
      double[] b = bucket(app);
      if (b[0] >= tokens) {
        b[0] -= tokens;
        return new Taken(true, (long) b[0]);
      }
      return new Taken(false, (long) b[0]);
    }

    @Override
    public synchronized void takeIntoDebt(AppId app, long tokens) {
      bucket(app)[0] -= tokens;
    }
  }

  ClusterRateLimiter node(MetricRegistry metrics) {
    return new ClusterRateLimiter(
        shared,
        new AppRateLimiter(5, 100, now::get),
        shared.rate,
        shared.burst,
        10,
        Duration.ofSeconds(5),
        now::get,
        metrics);
  }

  @Test
  void requestsAreAdmittedFromTheLeaseWithoutAskingTheSharedBucket() {
    ClusterRateLimiter node = node(new MetricRegistry());
    for (int i = 0; i < 22; i++) {
      assertTrue(node.acquire(app, 1).admitted());
    }
    // 1 + 10 leased, then 1 + 10 again: 22 requests, 2 exchanges.
    assertEquals(2, shared.exchanges);
    RateLimitStatus status = node.acquire(app, 1).status();
    assertEquals(1_000, status.limit());
    assertEquals(1_000 - 23, status.remaining(), "the shared bucket plus the unspent lease");
  }

  @Test
  void twoNodesTogetherAdmitTheSharedLimitNotTwiceIt() {
    ClusterRateLimiter a = node(new MetricRegistry());
    ClusterRateLimiter b = node(new MetricRegistry());
    long admitted = 0;
    for (int i = 0; i < 3_000; i++) {
      ClusterRateLimiter node = i % 2 == 0 ? a : b;
      if (node.acquire(app, 1).admitted()) {
        admitted++;
      }
    }
    assertTrue(admitted <= 1_000, "admitted " + admitted);
    assertTrue(admitted >= 1_000 - 2 * 10, "at most a lease per node unused: " + admitted);
  }

  @Test
  void aRefusalAnswersRetryAfterAndTheNextIsRefusedLocally() {
    ClusterRateLimiter node = node(new MetricRegistry());
    assertTrue(node.acquire(app, 995).admitted());
    RateLimitDecision refused = node.acquire(app, 10);
    assertFalse(refused.admitted());
    assertEquals(1, refused.waitSeconds(), "5 tokens missing at 10/s");
    assertEquals(5, refused.status().remaining());
    int exchanges = shared.exchanges;
    assertFalse(node.acquire(app, 10).admitted());
    assertEquals(exchanges, shared.exchanges, "the bucket cannot hold 10 yet: no exchange");
    now.addAndGet(SECOND);
    assertTrue(node.acquire(app, 10).admitted(), "refilled");
  }

  @Test
  void aBatchAboveTheBurstTakesTheBurstAndGoesIntoDebt() {
    ClusterRateLimiter node = node(new MetricRegistry());
    assertTrue(node.acquire(app, 1_500).admitted());
    RateLimitDecision next = node.acquire(app, 1);
    assertFalse(next.admitted());
    assertEquals(51, next.waitSeconds(), "500 of debt plus 1 at 10/s");
  }

  @Test
  void whenTheSharedBucketFailsTheNodeEnforcesThePerNodeLimitAndSaysSo() {
    MetricRegistry metrics = new MetricRegistry();
    ClusterRateLimiter node = node(metrics);
    assertTrue(node.acquire(app, 1).admitted());
    shared.down = true;
    now.addAndGet(2 * SECOND); // the lease has expired
    long admitted = 0;
    for (int i = 0; i < 200; i++) {
      if (node.acquire(app, 1).admitted()) {
        admitted++;
      }
    }
    assertEquals(100, admitted, "the fallback's burst");
    assertTrue(node.degraded());
    assertEquals(
        1, metrics.getGauges().get(IngestMetrics.PREFIX + "rateLimit.degraded").getValue());
    assertEquals(1, metrics.counter(IngestMetrics.PREFIX + "rateLimit.redisFailures").getCount());
    assertEquals(
        200, metrics.counter(IngestMetrics.PREFIX + "rateLimit.degradedRequests").getCount());

    shared.down = false;
    now.addAndGet(2 * SECOND);
    assertTrue(node.acquire(app, 1).admitted(), "not yet retried: still the fallback");
    assertTrue(node.degraded());
    now.addAndGet(4 * SECOND);
    assertTrue(node.acquire(app, 1).admitted());
    assertFalse(node.degraded(), "Redis answered again");
    assertEquals(
        0, metrics.getGauges().get(IngestMetrics.PREFIX + "rateLimit.degraded").getValue());
  }
}
