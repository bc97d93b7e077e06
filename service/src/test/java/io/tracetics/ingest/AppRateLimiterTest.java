package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.ids.AppId;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AppRateLimiterTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final AppRateLimiter limiter = new AppRateLimiter(10, 20, now::get);
  final AppId app = new AppId(1);

  @Test
  void burstThenSustainedRate() {
    for (int i = 0; i < 20; i++) {
      assertEquals(0, limiter.tryAcquire(app, 1), "burst of 20");
    }
    assertEquals(1, limiter.tryAcquire(app, 1));
    now.addAndGet(100_000_000L); // 0.1 s refills 1 token at 10/s
    assertEquals(0, limiter.tryAcquire(app, 1));
    assertTrue(limiter.tryAcquire(app, 1) >= 1);
    assertEquals(0, limiter.tryAcquire(new AppId(2), 1), "per app");
  }

  @Test
  void largeBatchGoesIntoDebtAndWaitsItOff() {
    assertEquals(0, limiter.tryAcquire(app, 50), "a batch above the burst needs a full bucket");
    long wait = limiter.tryAcquire(app, 1);
    assertEquals(4, wait, "30 tokens of debt plus 1 at 10/s");
    now.addAndGet(3_000_000_000L);
    assertTrue(limiter.tryAcquire(app, 1) > 0);
    now.addAndGet(1_000_000_000L);
    assertEquals(0, limiter.tryAcquire(app, 1));
  }
}
