package io.tracetics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DeliveryBackoffTest {

  @Test
  void doublesUpToTheCapAndStopsAfterTheLastAttempt() {
    DeliveryBackoff backoff = new DeliveryBackoff(6, 1_000, 5_000);
    assertEquals(OptionalLong.of(1_000), backoff.delayAfter(1));
    assertEquals(OptionalLong.of(2_000), backoff.delayAfter(2));
    assertEquals(OptionalLong.of(4_000), backoff.delayAfter(3));
    assertEquals(OptionalLong.of(5_000), backoff.delayAfter(4));
    assertEquals(OptionalLong.of(5_000), backoff.delayAfter(5));
    assertEquals(OptionalLong.empty(), backoff.delayAfter(6));
  }

  @Test
  void oneAttemptMeansNoRetry() {
    assertEquals(OptionalLong.empty(), new DeliveryBackoff(1, 1_000, 5_000).delayAfter(1));
  }

  @Test
  void manyAttemptsNeverOverflow() {
    DeliveryBackoff backoff = new DeliveryBackoff(50, 30_000, 3_600_000);
    assertEquals(OptionalLong.of(3_600_000), backoff.delayAfter(49));
  }
}
