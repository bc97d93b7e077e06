package io.tracetics.errors;

import java.util.Map;

/** A 429 or 503: the client may try again after {@code Retry-After} seconds. */
public class RetryableApiException extends ApiException {
  private static final long serialVersionUID = 1L;

  private final long retryAfterSeconds;

  public RetryableApiException(
      int status,
      String error,
      String message,
      long retryAfterSeconds,
      Map<String, Object> details) {
    super(status, error, message, details);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** 503 database_unavailable, nothing stored; try again in 2 seconds. */
  public static RetryableApiException databaseUnavailable() {
    return databaseUnavailable(2);
  }

  /** 503 database_unavailable, nothing stored; try again after {@code retryAfterSeconds}. */
  public static RetryableApiException databaseUnavailable(long retryAfterSeconds) {
    return new RetryableApiException(
        503,
        "database_unavailable",
        "The database is unavailable; nothing was stored. Retry later.",
        retryAfterSeconds,
        Map.of());
  }
}
