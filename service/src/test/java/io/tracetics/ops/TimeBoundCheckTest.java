package io.tracetics.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeBoundCheckTest {
  private static final Duration TIMEOUT = Duration.ofMillis(100);
  private static final Duration CACHE = Duration.ofSeconds(1);

  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private TimeBoundCheck check(TimeBoundCheck.Check body) {
    return new TimeBoundCheck(
        "MariaDB",
        () -> {
          runs.incrementAndGet();
          body.run();
        },
        executor,
        TIMEOUT,
        CACHE,
        now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void passingCheckIsEmptyAndIsReusedForTheCacheTime() {
    TimeBoundCheck check = check(() -> {});
    assertEquals(Optional.empty(), check.get());
    advance(Duration.ofMillis(999));
    assertEquals(Optional.empty(), check.get());
    assertEquals(1, runs.get(), "polled twice within a second: one check");
    advance(Duration.ofMillis(1));
    assertEquals(Optional.empty(), check.get());
    assertEquals(2, runs.get());
  }

  @Test
  void failingCheckSaysUnreachableWithoutInternals() {
    AtomicBoolean down = new AtomicBoolean(true);
    TimeBoundCheck check =
        check(
            () -> {
              if (down.get()) {
                throw new java.sql.SQLException("Socket fail to connect to 127.0.0.1:3306");
              }
            });
    assertEquals(Optional.of("MariaDB is unreachable."), check.get());
    down.set(false);
    assertEquals(Optional.of("MariaDB is unreachable."), check.get(), "cached");
    advance(CACHE);
    assertEquals(Optional.empty(), check.get());
  }

  @Test
  void hangingCheckCostsAtMostTheTimeoutAndNeverRunsTwiceAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TimeBoundCheck check = check(() -> release.await(10, TimeUnit.SECONDS));

    long started = System.nanoTime();
    assertEquals(Optional.of("MariaDB did not answer within 100 ms."), check.get());
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMs >= 100 && tookMs < 2_000, "waited about the timeout: " + tookMs + " ms");

    advance(CACHE);
    assertEquals(Optional.of("MariaDB did not answer within 100 ms."), check.get());
    assertEquals(1, runs.get(), "the hanging check is waited for again, not started again");

    release.countDown();
    advance(CACHE);
    assertEquals(Optional.empty(), check.get(), "the same run, finished");
  }
}
