package io.tracetics.engine.plan;

import io.tracetics.engine.query.FunnelQuery;

/**
 * The native plan: the fast plan's funnels ({@link LatestStartPlan#applies}) computed by the
 * engine's DuckDB aggregate {@code tracetics_window_funnel} (engine-sql/src/main/c, README "The
 * native aggregate") as one {@code GROUP BY user} over the step events, instead of window passes
 * over all users' events sorted by (user, time). Same semantics, chosen attempt and step times as
 * the fast plan; only for a store that has the aggregate loaded ({@code AnalyticsStore
 * .nativeFunnel()}).
 *
 * <ul>
 *   <li>{@code e}: the app's step events with their step {@code k}, as in the fast plan;
 *   <li>{@code us}: per user with a step-1 event, the chosen attempt's step times {@code tt}
 *       ({@code [t1 .. tL]}: its length is the user's level) and its start {@code s};
 *   <li>with a breakdown, {@code ub} adds the start event's value; the shared tail does the rest.
 * </ul>
 */
final class NativeFunnelPlan {
  static final String FUNCTION = "tracetics_window_funnel";

  private final FunnelQuery q;
  private final LatestStartPlan fast;

  /**
   * Whether the aggregate can compute {@code q}: a fast-plan funnel whose window it can hold
   * (milliseconds below 2^31, about 24.8 days, or any whole number of seconds below 2^31; the
   * validator allows at most 3,660 days).
   */
  static boolean applies(FunnelQuery q) {
    long ms = q.window().toMillis();
    boolean window = ms < (1L << 31) || (ms % 1000 == 0 && ms / 1000 < (1L << 31));
    return window && LatestStartPlan.applies(q);
  }

  NativeFunnelPlan(FunnelQuery q) {
    this.q = q;
    this.fast = new LatestStartPlan(q);
  }

  /** {@code WITH e AS (...), us AS (...), [ub AS (...),]}: ready for the shared tail. */
  SqlFragment users() {
    SqlFragment f = new SqlFragment().sql("WITH e AS (\n").append(fast.events()).sql("\n),\n");
    boolean breakdown = q.breakdown().isPresent();
    // Without a breakdown the tail needs only each user's level and step times, not the user.
    f.sql(breakdown ? "us" : "ub").sql(" AS MATERIALIZED (\n  SELECT ");
    f.sql(breakdown ? "u, " : "")
        .sql("len(tt) AS lvl, tt")
        .sql(breakdown ? ", tt[1] AS s" : "")
        .sql("\n  FROM (SELECT u, ")
        .sql(FUNCTION)
        .sql("(");
    f.bind(q.window().toMillis()).sql("::BIGINT, t, k) AS tt FROM e");
    f.sql(fast.filtered() ? " WHERE k IS NOT NULL" : "").sql(" GROUP BY u)\n");
    f.sql("  WHERE tt IS NOT NULL\n),\n");
    if (breakdown) {
      f.append(LatestStartPlan.startBreakdown(q));
    }
    return f;
  }
}
