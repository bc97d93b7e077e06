package io.tracetics.tenancy;

import java.util.Locale;

/**
 * A plan and its limits. A null limit means "no limit". {@code available} is false for a plan the
 * configuration no longer defines: tenants on it keep it, nobody is moved onto it.
 */
public record PlanRow(
    String code,
    String name,
    Integer maxApps,
    Integer maxFunnels,
    Integer maxCohorts,
    Long maxMonthlyEvents,
    int sortOrder,
    boolean available) {

  /**
   * The limits in words, e.g. "2 apps, 5 funnels, 5 cohorts, 100,000 events a month" or "no
   * limits".
   */
  public String describeLimits() {
    if (maxApps == null && maxFunnels == null && maxCohorts == null && maxMonthlyEvents == null) {
      return "no limits";
    }
    return count(maxApps, "apps")
        + ", "
        + count(maxFunnels, "funnels")
        + ", "
        + count(maxCohorts, "cohorts")
        + ", "
        + count(maxMonthlyEvents, "events a month");
  }

  private static String count(Number limit, String what) {
    return limit == null ? "unlimited " + what : String.format(Locale.ROOT, "%,d %s", limit, what);
  }

  /** Whether one more of something whose limit is {@code limit} fits after {@code used}. */
  public static boolean roomForOneMore(Long limit, long used) {
    return limit == null || used < limit;
  }

  /** How many more fit after {@code used}: {@link Long#MAX_VALUE} without a limit, never < 0. */
  public static long remaining(Long limit, long used) {
    return limit == null ? Long.MAX_VALUE : Math.max(0, limit - used);
  }
}
