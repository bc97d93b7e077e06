package io.tracetics.alerts;

import java.util.OptionalLong;

/**
 * When a webhook that failed is tried again, pure: the initial delay doubling after each attempt,
 * capped, and no retry once the attempts are used up.
 */
public record DeliveryBackoff(int maxAttempts, long initialMillis, long maxMillis) {

  /** The delay before the attempt after attempt number {@code attempt} (1-based), if any. */
  public OptionalLong delayAfter(int attempt) {
    if (attempt >= maxAttempts) {
      return OptionalLong.empty();
    }
    int doublings = Math.min(attempt - 1, 40);
    long delay = initialMillis;
    for (int i = 0; i < doublings && delay < maxMillis; i++) {
      delay *= 2;
    }
    return OptionalLong.of(Math.min(delay, maxMillis));
  }
}
