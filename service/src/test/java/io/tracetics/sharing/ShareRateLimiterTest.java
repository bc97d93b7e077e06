package io.tracetics.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShareRateLimiterTest {
  @Test
  void aBurstThenTheSustainedRatePerLink() {
    AtomicLong now = new AtomicLong();
    ShareRateLimiter limiter = new ShareRateLimiter(6, 3, now::get);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.tryAcquire(1));
    }
    // Six a minute: one every 10 s.
    assertEquals(10, limiter.tryAcquire(1));
    // Another link has its own bucket.
    assertEquals(0, limiter.tryAcquire(2));
    now.addAndGet(4_000_000_000L);
    assertEquals(6, limiter.tryAcquire(1));
    now.addAndGet(6_000_000_000L);
    assertEquals(0, limiter.tryAcquire(1));
    assertEquals(10, limiter.tryAcquire(1));
    // A long pause refills only up to the burst.
    now.addAndGet(3_600_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.tryAcquire(1));
    }
    assertEquals(10, limiter.tryAcquire(1));
  }
}
