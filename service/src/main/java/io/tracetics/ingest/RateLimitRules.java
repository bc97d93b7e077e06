package io.tracetics.ingest;

/**
 * The ingest rate limit's arithmetic, pure: a token bucket per app of {@code burst} tokens refilled
 * at {@code rate} per second, one token per event. A request of n events needs min(n, burst) tokens
 * available and then takes n, so a batch larger than the burst leaves the bucket in debt.
 */
public final class RateLimitRules {
  /** Leases are at most this fraction of the burst, so small limits stay exact. */
  static final int LEASE_FRACTION_OF_BURST = 20;

  private RateLimitRules() {}

  /** The tokens that must be available for a request of {@code events}. */
  public static long required(long events, double burst) {
    return Math.min(events, (long) Math.floor(burst));
  }

  /**
   * The tokens a node takes from the shared bucket beyond a request's own, to admit the next
   * requests locally: the configured lease, but never more than a twentieth of the burst (0 for a
   * burst under 20: every request then asks the shared bucket).
   */
  public static long leaseSize(long configuredLease, double burst) {
    return Math.max(
        0, Math.min(configuredLease, (long) Math.floor(burst / LEASE_FRACTION_OF_BURST)));
  }

  /**
   * Tokens in a bucket that held {@code tokens} {@code elapsedNanos} ago (never above the burst).
   */
  public static double refilled(double tokens, long elapsedNanos, double rate, double burst) {
    return Math.min(burst, tokens + Math.max(0, elapsedNanos) / 1e9 * rate);
  }

  /** Whole seconds (at least 1) until {@code missing} tokens have been refilled. */
  public static long waitSeconds(double missing, double rate) {
    return Math.max(1, (long) Math.ceil(missing / rate));
  }

  /**
   * Whole seconds until a bucket holding {@code remaining} tokens is full again ({@code
   * RateLimit-Reset}); 0 when it is full.
   */
  public static long resetSeconds(double remaining, double burst, double rate) {
    if (remaining >= burst) {
      return 0;
    }
    return (long) Math.ceil((burst - Math.max(remaining, -1e12)) / rate);
  }

  /**
   * A per-node share of a cluster-wide value (rate or burst) for {@code expectedNodes} nodes, at
   * least 1.
   */
  public static double perNode(double clusterValue, int expectedNodes) {
    return Math.max(1, clusterValue / Math.max(1, expectedNodes));
  }
}
