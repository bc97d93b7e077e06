package io.tracetics.ingest;

/**
 * A rate limiter's answer for one request: admitted, or the whole seconds to wait before it would
 * be; with the app's status after it either way.
 */
public record RateLimitDecision(long waitSeconds, RateLimitStatus status) {
  public boolean admitted() {
    return waitSeconds == 0;
  }
}
