package io.tracetics.tenancy;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The monthly usage period (a UTC calendar month): its key in {@code usage_counters} and how long
 * until the next one begins, which is when a used-up quota has room again.
 */
public final class UsagePeriod {
  private static final DateTimeFormatter KEY =
      DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

  private UsagePeriod() {}

  /** The period's key ({@code yyyy-MM}) of {@code at}. */
  public static String of(Instant at) {
    return KEY.format(at);
  }

  /** Seconds from {@code now} to the first instant of the next period (at least 1). */
  public static long secondsToNext(Instant now) {
    Instant next =
        YearMonth.from(now.atZone(ZoneOffset.UTC))
            .plusMonths(1)
            .atDay(1)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant();
    return Math.max(1, next.getEpochSecond() - now.getEpochSecond());
  }
}
