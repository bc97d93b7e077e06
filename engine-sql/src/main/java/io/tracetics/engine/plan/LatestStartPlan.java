package io.tracetics.engine.plan;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import java.util.HashSet;
import java.util.Set;

/**
 * The fast plan for the common funnel: ordered mode, steps with pairwise different event names (so
 * one event can fill at most one step), no exclusions, no hold-constant. It produces the CTE chain
 * up to {@code ub} (one row per user: level, step times, breakdown value); the rest of the
 * statement is shared with the general plan.
 *
 * <p>The idea (as ClickHouse's windowFunnel, but with window functions over all users at once): for
 * a step-k event e let {@code L_k(e)} be the latest start of a chain that reaches step k at e.
 * Because one event fills at most one step and equal instants count as in order, {@code L_k(e)} is
 * the largest {@code L_(k-1)} over the step-(k-1) events at or before e (ordering by time, then
 * step), and {@code L_2(e)} is the last step-1 time at or before e. The chain is inside the window
 * iff {@code t(e) - L_k(e) <= W}. So:
 *
 * <ul>
 *   <li>{@code w1}: one window pass over the user's step events ordered by (time, step) gives
 *       {@code L_2} (running max of step-1 times), the next step-n time at or after each event
 *       ({@code nz}, which closes the last link without another pass), the previous event's step
 *       (an event right after one of the same step has the same {@code L} and is later, so it is
 *       dropped) and the user's last step-1 time.
 *   <li>{@code r3 .. r(n-1)}: one window pass per further link, over only the surviving rows of two
 *       steps: {@code L_k} = running max of {@code L_(k-1)}.
 *   <li>{@code c}: candidates (user, level, start); {@code best}: per user the largest (level,
 *       start) = the furthest attempt, latest start on ties (README "The user's result").
 *   <li>the chosen attempt's step times are its greedy (earliest) chain: for step k, the earliest
 *       step-k candidate whose {@code L_k} equals the chosen start (a later start cannot reach it,
 *       or it would be chosen).
 * </ul>
 *
 * Trends still use the general plan (they count every attempt, not only the chosen one).
 */
final class LatestStartPlan {
  /** 2^63: moves a BIGINT start into [0, 2^64) so that (level, start) packs into one HUGEINT. */
  private static final String OFFSET = "9223372036854775808::HUGEINT";

  private final FunnelQuery q;
  private final int n;
  private final long windowMs;
  private final boolean breakdown;

  LatestStartPlan(FunnelQuery q) {
    this.q = q;
    this.n = q.steps().size();
    this.windowMs = q.window().toMillis();
    this.breakdown = q.breakdown().isPresent();
  }

  /** Whether this plan computes {@code q} exactly (see the class comment). */
  static boolean applies(FunnelQuery q) {
    if (q.order() != OrderMode.ORDERED
        || !q.exclusions().isEmpty()
        || !q.holdConstant().isEmpty()) {
      return false;
    }
    Set<String> names = new HashSet<>();
    for (FunnelStep s : q.steps()) {
      if (!names.add(s.eventName())) {
        return false;
      }
    }
    return true;
  }

  /** {@code WITH e AS (...), ..., ub AS (...),}: ready for the shared tail. */
  SqlFragment users() {
    SqlFragment f = new SqlFragment().sql("WITH e AS (\n").append(events()).sql("\n),\n");
    f.sql("w1 AS (\n  SELECT u, t, k,\n");
    f.sql("    max(CASE WHEN k = 1 THEN t END) OVER (")
        .sql(order())
        .sql(" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS l,\n");
    f.sql("    lag(k) OVER (").sql(order()).sql(") AS pk,\n");
    f.sql("    min(CASE WHEN k = ")
        .num(n)
        .sql(" THEN t END) OVER (")
        .sql(order())
        .sql(" ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS nz,\n");
    f.sql("    max(CASE WHEN k = 1 THEN t END) OVER (")
        .sql(order())
        .sql(" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS m1\n");
    f.sql("  FROM e\n),\n");
    if (n >= 3) {
      f.sql("r2 AS MATERIALIZED (\n  SELECT u, t, l, nz FROM w1\n  WHERE k = 2 AND ")
          .append(inWindow("t", "l"))
          .sql(" AND pk IS DISTINCT FROM 2\n),\n");
    }
    for (int j = 3; j < n; j++) {
      f.sql("r").num(j).sql(" AS MATERIALIZED (\n  SELECT u, t, l, nz FROM (\n");
      f.sql("    SELECT u, t, k, nz,\n      max(l) OVER (")
          .sql(order())
          .sql(" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS l,\n");
      f.sql("      lag(k) OVER (").sql(order()).sql(") AS pk\n    FROM (\n");
      f.sql("      SELECT u, t, ")
          .num(j - 1)
          .sql("::TINYINT AS k, l, NULL::BIGINT AS nz FROM r")
          .num(j - 1);
      f.sql(
              "\n      UNION ALL\n      SELECT u, t, k, NULL::BIGINT AS l, nz FROM w1\n      WHERE k = ")
          .num(j)
          .sql(" AND ")
          .append(inWindow("t", "l"))
          .sql(" AND pk IS DISTINCT FROM ")
          .num(j)
          .sql("\n    )\n  )\n  WHERE k = ")
          .num(j)
          .sql(" AND ")
          .append(inWindow("t", "l"))
          .sql(" AND pk IS DISTINCT FROM ")
          .num(j)
          .sql("\n),\n");
    }
    // c: (user, level, start, time of the step-level event, next step-n time).
    f.sql("c AS MATERIALIZED (\n");
    f.sql("  SELECT u, 1::TINYINT AS k, t AS s, NULL::BIGINT AS t, NULL::BIGINT AS nz FROM w1");
    f.sql(" WHERE k = 1 AND t = m1");
    for (int j = 2; j < n; j++) {
      f.sql("\n  UNION ALL SELECT u, ").num(j).sql(", l, t, NULL FROM r").num(j);
    }
    if (n >= 3) {
      f.sql("\n  UNION ALL SELECT u, ").num(n).sql(", l, t, nz FROM r").num(n - 1);
      f.sql(" WHERE ").append(inWindow("nz", "l"));
    } else {
      f.sql("\n  UNION ALL SELECT u, 2, t, t, nz FROM w1 WHERE k = 1 AND ")
          .append(inWindow("nz", "t"));
    }
    f.sql("\n),\n");
    f.sql("best AS MATERIALIZED (\n  SELECT u, (key >> 64)::INTEGER AS lvl, ");
    f.sql("(key - ((key >> 64) << 64) - ").sql(OFFSET).sql(")::BIGINT AS s\n");
    f.sql("  FROM (SELECT u, max((k::HUGEINT << 64) + (s::HUGEINT + ").sql(OFFSET);
    f.sql(")) AS key FROM c GROUP BY u)\n),\n");
    // bt: step times of the chosen attempts that got past step 1.
    f.sql("bt AS (\n  SELECT c.u, any_value(b.lvl) AS lvl, any_value(b.s) AS s");
    for (int j = 2; j < n; j++) {
      f.sql(",\n    min(c.t) FILTER (WHERE c.k = ").num(j).sql(") AS g").num(j);
    }
    f.sql(",\n    min(c.nz) FILTER (WHERE c.k = ").num(n).sql(") AS g").num(n);
    f.sql("\n  FROM c JOIN best b ON c.u = b.u AND c.s = b.s\n");
    f.sql("  WHERE b.lvl >= 2 AND c.k >= 2\n  GROUP BY c.u\n),\n");
    String times = "ut AS (\n  SELECT u, lvl, [s] AS tt FROM best WHERE lvl = 1\n";
    StringBuilder list = new StringBuilder("[s");
    for (int j = 2; j <= n; j++) {
      list.append(", g").append(j);
    }
    list.append("]");
    times += "  UNION ALL\n  SELECT u, lvl, list_slice(" + list + ", 1, lvl) AS tt FROM bt\n),\n";
    if (breakdown) {
      f.sql(times);
      f.sql("bdv AS (\n  SELECT e.u, min(e.bd) AS bd\n");
      f.sql(
          "  FROM e JOIN best b ON e.u = b.u AND e.t = b.s\n  WHERE e.k = 1\n  GROUP BY e.u\n),\n");
      f.sql("ub AS (\n  SELECT ut.u, ut.lvl, ut.tt, bdv.bd FROM ut JOIN bdv USING (u)\n),\n");
    } else {
      f.sql(times.replace("ut AS (", "ub AS ("));
    }
    return f;
  }

  private static String order() {
    return "PARTITION BY u ORDER BY t, k";
  }

  /** {@code <late> - <start> <= W}. */
  private SqlFragment inWindow(String late, String start) {
    return new SqlFragment().sql(late).sql(" - ").sql(start).sql(" <= ").bind(windowMs);
  }

  /**
   * {@code e}: the app's events that can fill a step, with their step {@code k} (1-based); step-1
   * events only inside the entry range, later steps up to W after its end.
   */
  private SqlFragment events() {
    SqlFragment f = new SqlFragment().sql("  SELECT u, t, k");
    if (breakdown) {
      f.sql(", CASE WHEN k = 1 THEN ")
          .sql(FunnelPlanner.JSON_VALUE.replace("metadata", "md"))
          .bind(FunnelPlanner.pointer(q.breakdown().get().property()))
          .sql(") END AS bd");
    }
    f.sql(" FROM (\n    SELECT user_key AS u, event_time_ms AS t,\n      CASE");
    for (int k = 0; k < n; k++) {
      FunnelStep step = q.steps().get(k);
      f.sql(" WHEN ")
          .append(FunnelPlanner.matches(step.eventName(), step.filters()))
          .sql(" THEN ")
          .num(k + 1);
    }
    f.sql(" END::TINYINT AS k").sql(breakdown ? ", metadata AS md" : "");
    f.sql("\n    FROM events\n    WHERE app_id = ").bind(q.appId());
    q.from().ifPresent(from -> f.sql(" AND event_time_ms >= ").bind(from.toEpochMilli()));
    q.to()
        .ifPresent(
            to ->
                f.sql(" AND event_time_ms < ")
                    .bind(FunnelPlanner.saturatedAdd(to.toEpochMilli(), windowMs)));
    f.sql(" AND event_name IN (");
    for (int k = 0; k < n; k++) {
      f.sql(k == 0 ? "" : ", ").bind(q.steps().get(k).eventName());
    }
    f.sql(")\n  )\n  WHERE k > 1");
    f.sql(" OR (k = 1");
    q.from().ifPresent(from -> f.sql(" AND t >= ").bind(from.toEpochMilli()));
    q.to().ifPresent(to -> f.sql(" AND t < ").bind(to.toEpochMilli()));
    f.sql(")");
    return f;
  }
}
