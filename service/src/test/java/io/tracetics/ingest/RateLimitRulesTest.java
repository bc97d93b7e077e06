package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateLimitRulesTest {
  @Test
  void aBatchAboveTheBurstNeedsOnlyTheBurst() {
    assertEquals(10, RateLimitRules.required(10, 20));
    assertEquals(20, RateLimitRules.required(50, 20));
  }

  @Test
  void leasesAreAtMostATwentiethOfTheBurst() {
    assertEquals(100, RateLimitRules.leaseSize(100, 20_000));
    assertEquals(50, RateLimitRules.leaseSize(100, 1_000));
    assertEquals(0, RateLimitRules.leaseSize(100, 5), "small limits stay exact");
    assertEquals(0, RateLimitRules.leaseSize(0, 20_000));
  }

  @Test
  void refillIsCappedAtTheBurst() {
    assertEquals(15, RateLimitRules.refilled(5, 1_000_000_000L, 10, 20), 1e-9);
    assertEquals(20, RateLimitRules.refilled(5, 10_000_000_000L, 10, 20), 1e-9);
    assertEquals(-5, RateLimitRules.refilled(-15, 1_000_000_000L, 10, 20), 1e-9, "debt");
    assertEquals(5, RateLimitRules.refilled(5, -1, 10, 20), 1e-9, "a clock going back adds none");
  }

  @Test
  void waitsAreWholeSecondsOfAtLeastOne() {
    assertEquals(1, RateLimitRules.waitSeconds(0.5, 10));
    assertEquals(1, RateLimitRules.waitSeconds(10, 10));
    assertEquals(2, RateLimitRules.waitSeconds(10.5, 10));
  }

  @Test
  void resetIsTheTimeUntilTheBucketIsFull() {
    assertEquals(0, RateLimitRules.resetSeconds(20, 20, 10));
    assertEquals(1, RateLimitRules.resetSeconds(19, 20, 10));
    assertEquals(2, RateLimitRules.resetSeconds(0, 20, 10));
    assertEquals(4, RateLimitRules.resetSeconds(-20, 20, 10), "debt first");
  }

  @Test
  void theFallbackSharesTheLimitAmongTheExpectedNodes() {
    assertEquals(10_000, RateLimitRules.perNode(10_000, 1), 1e-9);
    assertEquals(2_500, RateLimitRules.perNode(10_000, 4), 1e-9);
    assertEquals(1, RateLimitRules.perNode(3, 10), 1e-9, "never below one");
  }

  @Test
  void theStatusFloorsRemainingAndNeverShowsDebt() {
    assertEquals(new RateLimitStatus(20, 7, 2), RateLimitStatus.of(20, 10, 7.9));
    assertEquals(new RateLimitStatus(20, 0, 4), RateLimitStatus.of(20, 10, -20));
    assertEquals(new RateLimitStatus(20, 20, 0), RateLimitStatus.of(20, 10, 25));
  }
}
