package io.tracetics.ingest;

/**
 * Where an app stands against its ingest rate limit, as the {@code RateLimit-Limit}, {@code
 * RateLimit-Remaining} and {@code RateLimit-Reset} headers say it
 * (draft-ietf-httpapi-ratelimit-headers-06): the burst, the events it may send now, and the seconds
 * until the bucket is full again.
 */
public record RateLimitStatus(long limit, long remaining, long resetSeconds) {
  public static final String LIMIT = "RateLimit-Limit";
  public static final String REMAINING = "RateLimit-Remaining";
  public static final String RESET = "RateLimit-Reset";

  /** The status of a bucket of {@code burst} refilled at {@code rate}/s holding {@code tokens}. */
  public static RateLimitStatus of(double burst, double rate, double tokens) {
    long remaining = Math.max(0, (long) Math.floor(Math.min(tokens, burst)));
    return new RateLimitStatus(
        (long) Math.floor(burst), remaining, RateLimitRules.resetSeconds(tokens, burst, rate));
  }
}
