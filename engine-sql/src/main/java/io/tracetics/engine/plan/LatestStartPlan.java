package io.tracetics.engine.plan;

import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import java.util.HashSet;
import java.util.Set;

/**
 * The fast plan for the common funnel: ordered mode, steps with pairwise different event names (so
 * one event can fill at most one step), no exclusions, no hold-constant (step time limits or not).
 * It produces the CTE chain up to {@code ub} (one row per user) or {@code lv}/{@code pt} (users per
 * level, step times of the users past step 1); the rest of the statement is shared with the general
 * plan.
 *
 * <p>The idea (the "latest start" of ClickHouse's windowFunnel, but as window functions over all
 * users at once): order a user's step events by (time, step), so that equal instants count as in
 * order. For a step-k event e let {@code L_k(e)} be the latest start of a chain that reaches step k
 * at e. Since one event fills at most one step, {@code L_k} never decreases along the order, and
 * {@code L_k(e)} is the {@code L_(k-1)} of the last step-(k-1) event before e ({@code L_2(e)}: the
 * last step-1 time before e). The chain is inside the window iff {@code t(e) - L_k(e) <= W}.
 *
 * <ul>
 *   <li>{@code w1}: one window pass over the user's step events: {@code L_2} (running max of the
 *       step-1 times), the previous event's step (an event right after one of the same step has the
 *       same {@code L} and is later: dropped) and the user's last row (their latest step-1 time:
 *       the start of a level-1 result). Only a running max and {@code lag}/{@code lead}: their cost
 *       per row does not grow with the size of a user's history ({@code IGNORE NULLS} navigation
 *       and frames ending at the partition's end do, so skewed data would hurt).
 *   <li>{@code r2 .. rn}: the surviving (inside the window, first of a run) step-k events with
 *       {@code L_k}; from {@code r3} on one window pass per link over only the rows of two steps:
 *       {@code L_k} = running max of {@code L_(k-1)}.
 *   <li>{@code c}: attempts past step 1 (user, level, start); {@code best}: per user the largest
 *       (level, start) = the furthest attempt, the latest start on ties (README "The user's
 *       result").
 *   <li>{@code bt}: the chosen attempt's step times are its greedy (earliest) chain: for step k,
 *       the earliest step-k candidate whose {@code L_k} equals the chosen start (a later start
 *       cannot reach that event, or it would have been chosen).
 * </ul>
 *
 * <p>Step time limits (step k at most {@code W_k} after step k - 1): {@code L_k(e)} becomes the
 * largest {@code L_(k-1)} of the step-(k-1) events in {@code [t(e) - W_k, t(e)]}. Among the events
 * some chain inside the window reaches, {@code L} still never decreases along the order (by
 * induction: {@code L_k(e)} is the {@code L_(k-1)} of the last such step-(k-1) event before e, if
 * that one is within {@code W_k}), so a running max still gives it, plus {@code lt}, a running max
 * of the step-(k-1) times, for the limit ({@code r2}: {@code l} is both). A run of one step's
 * events is kept whole when the next step has a limit, and the chosen attempt's step times come
 * from the candidates on a chain that reaches its level ({@link #limitedChainTimes}). Without
 * limits the SQL is what it was.
 *
 * <p>Trends still use the general plan (they count every attempt, not only the chosen one).
 */
final class LatestStartPlan {
  /** 2^63: moves a BIGINT start into [0, 2^64) so that (level, start) packs into one HUGEINT. */
  private static final String OFFSET = "9223372036854775808::HUGEINT";

  private final FunnelQuery q;
  private final int n;
  private final long windowMs;
  private final boolean breakdown;
  private final boolean units;
  private final boolean limits;

  LatestStartPlan(FunnelQuery q) {
    this.q = q;
    this.n = q.steps().size();
    this.windowMs = q.window().toMillis();
    this.breakdown = q.breakdown().isPresent();
    this.units = q.countsUnits();
    this.limits = FunnelPlanner.hasLimits(q);
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
      for (String name : s.eventNames()) {
        if (!names.add(name)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * {@code WITH e AS (...), ...}: ends with {@code ub} (one row per user) when the query has a
   * breakdown, else with {@code lv} (users per level) and {@code pt} (step times of the users past
   * step 1), ready for the shared tail.
   */
  SqlFragment users() {
    return users(false);
  }

  /**
   * {@link #users()}, or with {@code perPerson} always ending with {@code ub} (user, level, step
   * times and, with a breakdown, its value): the rows the actors of a report cell come from.
   */
  SqlFragment users(boolean perPerson) {
    // With a breakdown the report needs one row per user too; actors always do.
    boolean rows = breakdown || perPerson;
    SqlFragment f = new SqlFragment().sql("WITH e AS (\n").append(events()).sql("\n),\n");
    // l: the last step-1 time before the row (a running max, which stays cheap for a user with a
    // million events; with a row per user, at or before it); pk: the previous row's step; last
    // (with a row per user): the user's last row.
    f.sql("w1 AS (\n  SELECT u, t, k,\n");
    f.sql("    max(CASE WHEN k = 1 THEN t END) OVER (").sql(order());
    f.sql(rows ? RUNNING : " ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)").sql(" AS l,\n");
    f.sql("    lag(k) OVER (").sql(order()).sql(") AS pk");
    if (rows) {
      f.sql(",\n    lead(t) OVER (").sql(order()).sql(") IS NULL AS last");
    }
    f.sql("\n  FROM e").sql(units ? " WHERE u IS NOT NULL" : "").sql("\n),\n");
    if (units) {
      f.append(FunnelPlanner.unassigned("e", null));
    }
    // u1: one row per user with a step-1 event: its first one, or (with a row per user: a
    // breakdown, or actors) the user's last row, whose l is their latest step-1 time (the start of
    // a level-1 result).
    String u1 = rows ? "last AND l IS NOT NULL" : "k = 1 AND l IS NULL";
    // w1f: only the rows used further on (u1, step events that may extend a chain). Written as a
    // CASE so that the optimizer derives no extra filter on k over all rows.
    f.sql("w1f AS MATERIALIZED (\n  SELECT * FROM w1\n  WHERE ");
    if (rows) {
      f.sql("(").sql(u1).sql(") OR ");
    }
    f.sql("CASE WHEN k = 1 THEN ").sql(rows ? "false" : "l IS NULL");
    f.sql(" ELSE ").append(inWindow("t", "l")).sql(" AND ").sql(firstOfRun()).sql(" END\n),\n");
    f.sql("u1 AS (\n  SELECT u").sql(rows ? ", l AS s" : "").sql(" FROM w1f WHERE ");
    f.sql(u1).sql("\n),\n");
    // With a time limit on step 2, l (the last step-1 time) must also be within it.
    f.sql("r2 AS MATERIALIZED (\n  SELECT u, t, l FROM w1f\n  WHERE k = 2 AND ")
        .append(inWindow("t", "l"))
        .append(limitHolds(2, "l"))
        .sql(keepsRuns(2) ? "" : " AND pk IS DISTINCT FROM 2")
        .sql("\n),\n");
    for (int j = 3; j <= n; j++) {
      // lt (with a time limit on step j): the time of the last step-(j-1) row, the one whose l
      // the running max gives.
      f.sql("r").num(j).sql(" AS MATERIALIZED (\n  SELECT u, t, l FROM (\n");
      f.sql("    SELECT u, t, k,\n      max(l) OVER (").sql(order()).sql(RUNNING).sql(" AS l");
      if (limited(j)) {
        f.sql(",\n      max(CASE WHEN k = ").num(j - 1).sql(" THEN t END) OVER (").sql(order());
        f.sql(RUNNING).sql(" AS lt");
      }
      if (!keepsRuns(j)) {
        f.sql(",\n      lag(k) OVER (").sql(order()).sql(") AS pk");
      }
      f.sql("\n    FROM (\n");
      f.sql("      SELECT u, t, ").num(j - 1).sql("::TINYINT AS k, l FROM r").num(j - 1);
      f.sql("\n      UNION ALL\n      SELECT u, t, k, NULL::BIGINT AS l FROM w1f\n      WHERE k = ")
          .num(j)
          .sql(" AND ")
          .append(inWindow("t", "l"))
          .sql(keepsRuns(j) ? "" : " AND pk IS DISTINCT FROM " + j)
          .sql("\n    )\n  )\n  WHERE k = ")
          .num(j)
          .sql(" AND ")
          .append(inWindow("t", "l"))
          .append(limitHolds(j, "lt"))
          .sql(keepsRuns(j) ? "" : " AND pk IS DISTINCT FROM " + j)
          .sql("\n),\n");
    }
    // c: attempts past step 1 (user, level, start, time of the level's step).
    f.sql("c AS MATERIALIZED (\n");
    for (int j = 2; j <= n; j++) {
      f.sql(j == 2 ? "  SELECT u, 2::TINYINT AS k, l AS s, t" : "\n  UNION ALL SELECT u, ")
          .sql(j == 2 ? "" : Integer.toString(j))
          .sql(j == 2 ? "" : ", l, t")
          .sql(" FROM r")
          .num(j);
    }
    f.sql("\n),\n");
    // best: per user past step 1, the furthest level, then the latest start.
    f.sql("best AS MATERIALIZED (\n  SELECT u, (key >> 64)::INTEGER AS lvl, ");
    f.sql("(key - ((key >> 64) << 64) - ").sql(OFFSET).sql(")::BIGINT AS s\n");
    f.sql("  FROM (SELECT u, max((k::HUGEINT << 64) + (s::HUGEINT + ").sql(OFFSET);
    f.sql(")) AS key FROM c GROUP BY u)\n),\n");
    if (limits) {
      f.append(limitedChainTimes());
    } else {
      // bt: their step times: the earliest candidate of each step with that start.
      StringBuilder list = new StringBuilder("[any_value(b.s)");
      for (int j = 2; j <= n; j++) {
        list.append(", min(c.t) FILTER (WHERE c.k = ").append(j).append(")");
      }
      list.append("]");
      f.sql("bt AS MATERIALIZED (\n  SELECT c.u, any_value(b.lvl) AS lvl, list_slice(")
          .sql(list.toString())
          .sql(", 1, any_value(b.lvl)) AS tt\n");
      f.sql("  FROM c JOIN best b ON c.u = b.u AND c.s = b.s\n  GROUP BY c.u\n),\n");
    }
    if (rows) {
      // ub: every user; the chosen start's breakdown value (smallest set value at that instant).
      f.sql("us AS (\n  SELECT u1.u, coalesce(bt.lvl, 1) AS lvl, coalesce(bt.tt, [u1.s]) AS tt,");
      f.sql(" coalesce(bt.tt[1], u1.s) AS s\n  FROM u1 LEFT JOIN bt USING (u)\n),\n");
      f.append(breakdown ? startBreakdown(q) : new SqlFragment().sql(PERSONS_WITHOUT_BREAKDOWN));
    } else {
      f.sql("lv AS (\n  SELECT lvl, count(*) AS c FROM bt GROUP BY lvl\n");
      f.sql("  UNION ALL SELECT 1, (SELECT count(*) FROM u1) - (SELECT count(*) FROM bt)\n),\n");
      f.sql("pt AS (\n  SELECT lvl, tt FROM bt\n),\n");
    }
    return f;
  }

  /**
   * {@code bt} with time limits: the earliest event of a step with the chosen start can be too far
   * from every next one, so the step times come from the candidates that are on a chain reaching
   * the level. {@code cc}: the candidates (the events whose latest start is the chosen one; a later
   * start reaching one would reach the level too); {@code cf<j>}, from the level down: those of
   * step j with a kept step-(j+1) candidate at or after them within step j + 1's limit (the first
   * one after them, a running min in reverse order). Each kept candidate is on a chain from the
   * start to the level, so the earliest one of each step gives the earliest chain.
   */
  private SqlFragment limitedChainTimes() {
    SqlFragment f = new SqlFragment();
    f.sql("cc AS MATERIALIZED (\n  SELECT c.u, c.k, c.t, b.lvl\n");
    f.sql("  FROM c JOIN best b ON c.u = b.u AND c.s = b.s\n),\n");
    f.sql("cf").num(n).sql(" AS (\n  SELECT u, t FROM cc WHERE k = ").num(n).sql("\n),\n");
    for (int j = n - 1; j >= 2; j--) {
      f.sql("cf").num(j).sql(" AS (\n  SELECT u, t FROM (\n    SELECT u, t, k, lvl,");
      f.sql(" min(CASE WHEN k = ").num(j + 1).sql(" THEN t END) OVER (PARTITION BY u");
      f.sql(" ORDER BY t DESC, k DESC").sql(RUNNING).sql(" AS nt\n");
      f.sql("    FROM (SELECT u, t, k, lvl FROM cc WHERE k = ").num(j);
      f.sql(" UNION ALL SELECT u, t, ").num(j + 1).sql("::TINYINT, NULL FROM cf").num(j + 1);
      f.sql(")\n  )\n  WHERE k = ").num(j).sql(" AND (lvl = ").num(j).sql(" OR nt - t <= ");
      f.bind(limit(j + 1)).sql(")\n),\n");
    }
    StringBuilder list = new StringBuilder("[any_value(b.s)");
    for (int j = 2; j <= n; j++) {
      list.append(", min(f.t) FILTER (WHERE f.k = ").append(j).append(")");
    }
    list.append("]");
    f.sql("bt AS MATERIALIZED (\n  SELECT b.u, any_value(b.lvl) AS lvl, list_slice(")
        .sql(list.toString())
        .sql(", 1, any_value(b.lvl)) AS tt\n  FROM (");
    for (int j = 2; j <= n; j++) {
      f.sql(j == 2 ? "" : " UNION ALL ").sql("SELECT u, ").num(j).sql(" AS k, t FROM cf").num(j);
    }
    f.sql(") f JOIN best b ON f.u = b.u\n  GROUP BY b.u\n),\n");
    return f;
  }

  /** Whether step {@code j} (1-based) has a time limit. */
  private boolean limited(int j) {
    return q.steps().get(j - 1).within().isPresent();
  }

  /** Step j's (1-based) time limit in milliseconds; the window when it has none. */
  private long limit(int j) {
    return q.steps().get(j - 1).within().map(java.time.Duration::toMillis).orElse(windowMs);
  }

  /**
   * Whether every step-j event must be kept, not only the first of a run: when step j + 1 has a
   * time limit, a later event of the run can be the one near enough to the next step.
   */
  private boolean keepsRuns(int j) {
    return j < n && limited(j + 1);
  }

  /**
   * The rows that may extend a chain: {@code pk IS DISTINCT FROM k} (the first of a run of one
   * step), except for the steps whose every event is kept ({@link #keepsRuns}).
   */
  private String firstOfRun() {
    StringBuilder kept = new StringBuilder();
    for (int j = 2; j <= n; j++) {
      if (keepsRuns(j)) {
        kept.append(kept.length() == 0 ? "" : ", ").append(j);
      }
    }
    return kept.length() == 0
        ? "pk IS DISTINCT FROM k"
        : "(pk IS DISTINCT FROM k OR k IN (" + kept + "))";
  }

  /** {@code AND t - <previous> <= W_j} when step j has a time limit, else nothing. */
  private SqlFragment limitHolds(int j, String previous) {
    SqlFragment f = new SqlFragment();
    if (limited(j)) {
      f.sql(" AND t - ").sql(previous).sql(" <= ").bind(limit(j));
    }
    return f;
  }

  /**
   * {@code ub}: from {@code us} (user, level, step times, start {@code s}), the breakdown value of
   * the chosen start: the smallest set value among the user's step-1 events at that instant.
   */
  static SqlFragment startBreakdown(FunnelQuery q) {
    FunnelStep first = q.steps().get(0);
    SqlFragment f = new SqlFragment();
    Breakdown b = q.breakdown().get();
    f.sql("ub AS (\n  SELECT us.u, any_value(us.lvl) AS lvl, any_value(us.tt) AS tt, min(")
        .append(FunnelPlanner.value(b.source(), b.property()))
        .sql(") AS bd\n");
    f.sql("  FROM us JOIN ")
        .append(FunnelPlanner.source(q))
        .sql(" ON ")
        .append(FunnelPlanner.unitOf(q, "events."))
        .sql(" = us.u AND events.event_time_ms = us.s\n");
    f.sql("  WHERE events.app_id = ")
        .bind(q.appId())
        .sql(" AND ")
        .append(FunnelPlanner.condition(first))
        .sql("\n  GROUP BY us.u\n),\n");
    return f;
  }

  /** {@code ub} from {@code us} when there is no breakdown value to add. */
  static final String PERSONS_WITHOUT_BREAKDOWN = "ub AS (\n  SELECT u, lvl, tt FROM us\n),\n";

  private static final String RUNNING = " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";

  private static String order() {
    return "PARTITION BY u ORDER BY t, k";
  }

  /** {@code <late> - <start> <= W}. */
  private SqlFragment inWindow(String late, String start) {
    return new SqlFragment().sql(late).sql(" - ").sql(start).sql(" <= ").bind(windowMs);
  }

  /**
   * {@code e}: the app's events that fill a step, with their step {@code k} (1-based, never NULL)
   * and whom they count for, {@code u} ({@link FunnelPlanner#unitOf}: NULL for an event without a
   * unit in a funnel counting units, which {@link #users} counts and drops); step-1 events only
   * inside the entry range, later steps up to W after its end.
   */
  SqlFragment events() {
    if (q.steps().stream().allMatch(s -> s.anyOf().stream().allMatch(m -> m.filters().isEmpty()))) {
      return namesOnly();
    }
    SqlFragment f =
        new SqlFragment()
            .sql("  SELECT * FROM (\n    SELECT ")
            .append(FunnelPlanner.unitOf(q, ""))
            .sql(" AS u, event_time_ms AS t,\n    CASE");
    for (int k = 0; k < n; k++) {
      FunnelStep step = q.steps().get(k);
      f.sql(" WHEN ").append(FunnelPlanner.condition(step));
      if (k == 0) {
        q.to().ifPresent(to -> f.sql(" AND event_time_ms < ").bind(to.toEpochMilli()));
      }
      f.sql(" THEN ").num(k + 1);
    }
    f.sql(" END::TINYINT AS k\n    FROM ").append(FunnelPlanner.source(q)).sql("\n    WHERE ");
    f.append(appAndTimes());
    f.sql(" AND event_name IN (");
    int i = 0;
    for (FunnelStep step : q.steps()) {
      for (String name : step.eventNames()) {
        f.sql(i++ == 0 ? "" : ", ").bind(name);
      }
    }
    // An event of a step's name that fails the step's filters (or a step-1 event after the entry
    // range) fills no step.
    return f.sql(")\n  ) WHERE k IS NOT NULL");
  }

  /**
   * {@code e} when every step is its event name alone (no property filter): k is the name's
   * position in the steps' names (they differ from each other, see {@link #applies}); rows of other
   * events, and step-1 rows after the entry range, have none and are left out. One lookup per row
   * instead of an {@code IN} filter followed by a {@code CASE}: DuckDB's {@code IN} over the string
   * column merges and sorts a selection per name, a large part of a scan's time.
   */
  private SqlFragment namesOnly() {
    SqlFragment f = new SqlFragment().sql("  SELECT * FROM (\n    SELECT ");
    f.append(FunnelPlanner.unitOf(q, "")).sql(" AS u,");
    f.sql(" event_time_ms AS t, ");
    boolean alternatives = q.steps().stream().anyMatch(FunnelStep::hasAlternatives);
    if (alternatives) {
      // Several names per step: the name's position picks its step from a constant list.
      f.sql("[");
      int i = 0;
      for (int k = 0; k < n; k++) {
        for (int j = 0; j < q.steps().get(k).eventNames().size(); j++) {
          f.sql(i++ == 0 ? "" : ", ").num(k + 1);
        }
      }
      f.sql("][");
    }
    f.sql("list_position([");
    int i = 0;
    for (FunnelStep step : q.steps()) {
      for (String name : step.eventNames()) {
        f.sql(i++ == 0 ? "" : ", ").bind(name).sql("::VARCHAR");
      }
    }
    f.sql("], event_name)")
        .sql(alternatives ? "]" : "")
        .sql("::TINYINT AS k\n    FROM ")
        .append(FunnelPlanner.population(q))
        .sql("\n    WHERE ")
        .append(appAndTimes());
    f.sql("\n  ) WHERE k IS NOT NULL");
    q.to().ifPresent(to -> f.sql(" AND (k > 1 OR t < ").bind(to.toEpochMilli()).sql(")"));
    return f;
  }

  /** The app's rows that can fill a step: from the entry start to W after the entry end. */
  private SqlFragment appAndTimes() {
    SqlFragment f = new SqlFragment().sql("app_id = ").bind(q.appId());
    q.from().ifPresent(from -> f.sql(" AND event_time_ms >= ").bind(from.toEpochMilli()));
    q.to()
        .ifPresent(
            to ->
                f.sql(" AND event_time_ms < ")
                    .bind(FunnelPlanner.saturatedAdd(to.toEpochMilli(), windowMs)));
    return f;
  }
}
