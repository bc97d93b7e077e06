package io.tracetics.engine.explore;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits that protect the server from tenants' SQL.
 *
 * @param timeout a statement's time limit, from execution to the last row sent (whole seconds,
 *     rounded up; at least one)
 * @param maxRows rows returned at most; beyond it the answer is cut and marked truncated
 * @param maxConcurrent exploration queries running at once on this node; more are refused (busy)
 * @param maxQueryLength characters of query text at most
 */
public record ExploreLimits(Duration timeout, int maxRows, int maxConcurrent, int maxQueryLength) {

  public ExploreLimits {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (maxRows < 1 || maxConcurrent < 1 || maxQueryLength < 1) {
      throw new IllegalArgumentException("limits must be >= 1");
    }
  }

  /** The JDBC query timeout: whole seconds, rounded up. */
  public int timeoutSeconds() {
    long millis = timeout.toMillis();
    return (int) Math.max(1, (millis + 999) / 1000);
  }
}
