package io.tracetics.engine.plan;

import io.tracetics.engine.query.FunnelQuery;
import java.time.Duration;

/**
 * The native plan: the fast plan's funnels ({@link LatestStartPlan#applies}) computed by the
 * engine's DuckDB aggregate {@code tracetics_window_funnel} (engine-sql/src/main/c, README "The
 * native aggregate") as one {@code GROUP BY} block of users over the step events, instead of window
 * passes over all users' events sorted by (user, time). Same semantics, chosen attempt and step
 * times as the fast plan; only for a store that has the aggregate loaded ({@code AnalyticsStore
 * .nativeFunnel()}).
 *
 * <ul>
 *   <li>{@code e}: the app's step events with their step {@code k}, as in the fast plan;
 *   <li>{@code us}: per user with a step-1 event, the chosen attempt's step times {@code tt}
 *       ({@code [t1 .. tL]}: its length is the user's level) and its start {@code s}; the aggregate
 *       runs per block of {@code 2^BLOCK_BITS} user keys and returns a list of {@code (u, tt)} per
 *       block, which {@code unnest} turns into rows; a block that could not get the memory it needs
 *       returns NULL (the aggregate's result code), which becomes a row with a NULL level;
 *   <li>{@code nst}: whether there is such a row, which the answer carries in its {@code
 *       native_gave_up} column ({@link FunnelPlan#GAVE_UP_COLUMN}) on every row, and on a row of
 *       its own when there is no other;
 *   <li>with a breakdown, {@code ub} adds the start event's value; the shared tail does the rest.
 * </ul>
 *
 * A funnel counting units gives each unit value a dense key ({@code uk}: the distinct values of the
 * materialized {@code e}, numbered; the row without a value counts the events left out, {@code
 * na}), joins it to the events and runs the aggregate on blocks of those keys; rows per unit map
 * the key back to the value. See engine-sql/README.md "Counting units".
 *
 * <p>With step time limits the aggregate gets a fifth argument, {@code within_ms}: step k's limit
 * at k, the window for a step without one.
 */
final class NativeFunnelPlan {
  static final String FUNCTION = "tracetics_window_funnel";

  /**
   * Users per aggregate group: {@code GROUP BY u >> BLOCK_BITS} (the aggregate allows at most 12).
   * 2^10 users of about 20 step events each keep a group's events within a core's L2 cache while it
   * is sorted by user, and 1M users make about 1,000 groups: a small hash table, and enough groups
   * for every thread.
   */
  static final int BLOCK_BITS = 10;

  private final FunnelQuery q;
  private final LatestStartPlan fast;

  /**
   * Whether the aggregate can compute {@code q}: a fast-plan funnel whose window it can hold
   * (milliseconds below 2^31, about 24.8 days, or any whole number of seconds below 2^31; the
   * validator allows at most 3,660 days).
   */
  static boolean applies(FunnelQuery q) {
    boolean held = holds(q.window().toMillis());
    for (var step : q.steps()) {
      held = held && step.within().map(w -> holds(w.toMillis())).orElse(true);
    }
    return held && LatestStartPlan.applies(q);
  }

  /** Whether the aggregate's 4-byte encoding holds a window or time limit of {@code ms}. */
  private static boolean holds(long ms) {
    return ms < (1L << 31) || (ms % 1000 == 0 && ms / 1000 < (1L << 31));
  }

  NativeFunnelPlan(FunnelQuery q) {
    this.q = q;
    this.fast = new LatestStartPlan(q);
  }

  /** {@code WITH e AS (...), us AS (...), [ub AS (...),]}: ready for the shared tail. */
  SqlFragment users() {
    return users(false);
  }

  /**
   * {@link #users()}, or with {@code perPerson} always with {@code ub} holding the user {@code u}
   * as well: the rows the actors of a report cell come from.
   */
  SqlFragment users(boolean perPerson) {
    boolean units = q.countsUnits();
    // A unit funnel reads e twice (its units, then their events): once, materialized.
    SqlFragment f = new SqlFragment().sql(units ? "WITH e AS MATERIALIZED (\n" : "WITH e AS (\n");
    f.append(fast.events()).sql("\n),\n");
    boolean breakdown = q.breakdown().isPresent();
    // Without a breakdown the report's tail needs only each user's level and step times, not the
    // user.
    boolean rows = breakdown || perPerson;
    String users = rows ? "us" : "ub";
    if (units) {
      // uk: each unit value with a dense key d (blocks of them keep the aggregate's groups few and
      // its appends local, as person keys do) and its step events; the row without a value counts
      // the events left out.
      f.sql("uk AS MATERIALIZED (\n  SELECT u AS v, n, row_number() OVER () AS d\n");
      f.sql("  FROM (SELECT u, count(*) AS n FROM e GROUP BY u)\n),\n");
      f.sql("na AS (\n  SELECT coalesce(max(n) FILTER (WHERE v IS NULL), 0)::BIGINT AS unassigned");
      f.sql(" FROM uk\n),\n");
    }
    // A block that gave up (NULL) becomes one row whose level is NULL: nst reads it from the
    // materialized rows, and the tail drops it (a NULL level reaches no step).
    f.sql(users).sql(" AS MATERIALIZED (\n  SELECT ");
    f.sql(rows ? (units ? "uk.v AS u, " : "r.u AS u, ") : "")
        .sql("len(r.tt) AS lvl, r.tt AS tt")
        .sql(rows ? ", r.tt[1] AS s" : "")
        .sql("\n  FROM (SELECT unnest(coalesce(b, [NULL])) AS r FROM (SELECT ")
        .sql(FUNCTION)
        .sql("(");
    f.bind(q.window().toMillis());
    f.sql(units ? "::BIGINT, uk.d, e.t, e.k" : "::BIGINT, u, t, k");
    if (FunnelPlanner.hasLimits(q)) {
      // within_ms: step k's time limit at k (1-based); the window where a step has none.
      f.sql(", [");
      for (int k = 0; k < q.steps().size(); k++) {
        long limit =
            q.steps().get(k).within().map(Duration::toMillis).orElse(q.window().toMillis());
        f.sql(k == 0 ? "" : ", ").bind(limit).sql("::BIGINT");
      }
      f.sql("]");
    }
    if (units) {
      f.sql(") AS b FROM e JOIN uk ON uk.v = e.u GROUP BY uk.d >> ");
    } else {
      f.sql(") AS b FROM e GROUP BY u >> ");
    }
    f.sql(Integer.toString(BLOCK_BITS)).sql("))");
    if (units && rows) {
      // Back from the dense key to the value (a block that gave up has neither).
      f.sql(" LEFT JOIN uk ON uk.d = r.u");
    }
    f.sql("\n),\n");
    f.sql("nst AS (\n  SELECT coalesce(bool_or(lvl IS NULL), false) AS gave_up FROM ");
    f.sql(users).sql("\n),\n");
    if (breakdown) {
      f.append(LatestStartPlan.startBreakdown(q));
    } else if (perPerson) {
      f.sql(LatestStartPlan.PERSONS_WITHOUT_BREAKDOWN);
    }
    return f;
  }
}
