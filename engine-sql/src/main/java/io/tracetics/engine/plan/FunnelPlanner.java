package io.tracetics.engine.plan;

import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.CohortRestriction;
import io.tracetics.engine.query.EventMatch;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.PropertySource;
import io.tracetics.engine.query.TrendInterval;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles a validated {@link FunnelQuery} into DuckDB SQL. Pure: no connection, no I/O; the same
 * query always gives the same text and values.
 *
 * <p>Ordered funnels whose steps have different event names, without exclusions or hold-constant,
 * take the fast plan for the steps statement: {@link NativeFunnelPlan} (one {@code GROUP BY user}
 * with the engine's native aggregate) when the planner is made for a store that has it, else {@link
 * LatestStartPlan} (a "latest start" pass of window functions). Everything else takes the general
 * plan below; all of them end in the same tail.
 *
 * <p>Shape of the general plan's SQL (all users at once, see engine-sql/README.md "How the SQL
 * works"):
 *
 * <ol>
 *   <li>{@code ev}: the app's events in the time bounds, with one boolean per step class and
 *       exclusion, the hold-constant key and the breakdown value.
 *   <li>{@code g}: one row per user, hold key and instant, counting the events of each class
 *       subset; from those counts {@code r[a+1]} = the furthest step a chain entering this instant
 *       at step a can fill here with distinct events.
 *   <li>ordered/strict: {@code nx[k]} = the next instant (strictly later) able to fill step k, by
 *       one window pass; attempts start at every instant able to fill step 1 inside the entry range
 *       and hop instant to instant (one equi-join per step, each step taken at the earliest
 *       possible instant); strict mode stops a hop that passes a breaking event, exclusions mark
 *       attempts hit. Strict mode, and ordered mode with step time limits, keep every (step,
 *       instant) state instead ({@code searchedChains}), since the earliest instant is not always
 *       the best there. unordered: one RANGE window pass counts, per start instant, the events of
 *       each class subset within the window; a matching bound gives the number of steps completed.
 *   <li>each user keeps the furthest attempt that was not hit (latest start on ties); steps,
 *       breakdown groups and time-to-convert are aggregated from those.
 * </ol>
 */
public final class FunnelPlanner {
  static final String JSON_VALUE = "json_extract_string(metadata, ";
  static final String TRAIT_VALUE = "json_extract_string(traits, ";

  private static final FunnelPlanner SQL_ONLY = new FunnelPlanner(false);

  private final boolean nativeFunnel;

  /** A planner that uses SQL plans only (any store can run them). */
  public FunnelPlanner() {
    this(false);
  }

  /**
   * @param nativeFunnel whether the store that will run the plans has the native funnel aggregate
   *     ({@code AnalyticsStore.nativeFunnel()}); true lets the fast plan's funnels use it
   */
  public FunnelPlanner(boolean nativeFunnel) {
    this.nativeFunnel = nativeFunnel;
  }

  /** Compiles {@code query}, which must have passed {@code FunnelValidator}. */
  public FunnelPlan plan(FunnelQuery query) {
    Context c = new Context(query);
    // Dominated starts can be skipped for the per-user answer (ordered, no exclusions), not for
    // trends, which count every entry.
    boolean prune = query.order() == OrderMode.ORDERED && query.exclusions().isEmpty();
    SqlFragment steps;
    if (usesNativePlan(query)) {
      steps = new NativeFunnelPlan(query).users(c.alternatives).append(stepsTail(c, true));
    } else if (usesFastPlan(query)) {
      // Without a breakdown (or alternatives to count) the fast plan gives lv and pt itself (no
      // per-user row for step 1).
      boolean perPerson = c.breakdown || c.alternatives;
      steps =
          new LatestStartPlan(query)
              .users(c.alternatives)
              .append(perPerson ? stepsTail(c, false) : levelsTail(c, false));
    } else {
      steps =
          new SqlFragment()
              .append(attempts(c, prune))
              .sql(",\n")
              .append(bestAttempts(c))
              .append(c.units ? unassigned("ev", stepEvent(c)) : new SqlFragment())
              .append(stepsTail(c, false));
    }
    SqlFragment trend = null;
    if (query.trendInterval().isPresent()) {
      trend = new SqlFragment().append(attempts(c, false)).sql("\n").append(trendTail(c));
    }
    return new FunnelPlan(
        query,
        steps.text(),
        steps.params(),
        trend == null ? java.util.Optional.empty() : java.util.Optional.of(trend.text()),
        trend == null ? List.of() : trend.params(),
        usesNativePlan(query)
            ? java.util.Optional.of(SQL_ONLY.plan(query))
            : java.util.Optional.empty());
  }

  /**
   * Whether the steps statement of {@code query} uses the fast plan ({@link LatestStartPlan}:
   * ordered, steps with different event names, no exclusions, no hold-constant) rather than the
   * general one. Both are exact; tests use this to check that both are exercised.
   */
  public static boolean usesFastPlan(FunnelQuery query) {
    return LatestStartPlan.applies(query);
  }

  /**
   * Whether this planner computes the steps of {@code query} with the native aggregate ({@link
   * NativeFunnelPlan}): a fast-plan funnel with a window the aggregate can hold, and a planner made
   * for a store that has it.
   */
  public boolean usesNativePlan(FunnelQuery query) {
    return nativeFunnel && NativeFunnelPlan.applies(query);
  }

  /**
   * Compiles the people of {@code cell} in {@code query}'s report (both valid). They come from the
   * same per-person relation {@code ub} (person, level, chosen step times, breakdown value) that
   * the report's plan aggregates, built by the same code, with the same breakdown ranking; a trend
   * period's from the same attempts as the trend.
   */
  public ActorsPlan actors(FunnelQuery query, ActorCell cell) {
    Context c = new Context(query);
    boolean nativeStatus = false;
    SqlFragment f;
    if (cell.period().isPresent()) {
      // The trend counts every attempt entering in the period: each person's furthest of those.
      String interval = query.trendInterval().orElseThrow().name().toLowerCase(Locale.ROOT);
      SqlFragment inPeriod =
          new SqlFragment()
              .sql(" AND date_trunc(")
              .bind(interval)
              .sql(", epoch_ms(s)) = CAST(")
              .bind(cell.period().get().toString())
              .sql(" AS TIMESTAMP)");
      f = new SqlFragment().append(attempts(c, false)).sql(",\n").append(bestAttempts(c, inPeriod));
    } else if (usesNativePlan(query)) {
      f = new NativeFunnelPlan(query).users(true);
      nativeStatus = true;
    } else if (usesFastPlan(query)) {
      f = new LatestStartPlan(query).users(true);
    } else {
      boolean prune = query.order() == OrderMode.ORDERED && query.exclusions().isEmpty();
      f = new SqlFragment().append(attempts(c, prune)).sql(",\n").append(bestAttempts(c));
    }
    boolean grouped = cell.group().isPresent();
    if (grouped) {
      f.append(breakdownRanks());
    }
    f.sql("cell AS (\n  SELECT ub.u, ub.lvl, ub.tt FROM ub");
    if (grouped) {
      f.sql(" JOIN bk ON bk.bd IS NOT DISTINCT FROM ub.bd");
    }
    f.sql("\n  WHERE ");
    if (cell.status() == ActorCell.Status.REACHED) {
      f.sql("ub.lvl > ").num(cell.step());
    } else {
      f.sql("ub.lvl = ").num(cell.step());
    }
    if (grouped) {
      ActorCell.Group g = cell.group().get();
      long limit = query.breakdown().get().limit();
      if (g.other()) {
        f.sql(" AND bk.rn > ").bind(limit);
      } else {
        f.sql(" AND bk.rn <= ").bind(limit);
        if (g.value() == null) {
          f.sql(" AND ub.bd IS NULL");
        } else {
          f.sql(" AND ub.bd = ").bind(g.value());
        }
      }
    }
    f.sql("\n)\nSELECT u, lvl, tt FROM cell");
    if (nativeStatus) {
      f.sql("\nUNION ALL SELECT NULL, NULL, NULL FROM nst WHERE gave_up");
    }
    return new ActorsPlan(
        query,
        cell,
        f.text(),
        f.params(),
        nativeStatus
            ? java.util.Optional.of(SQL_ONLY.actors(query, cell))
            : java.util.Optional.empty());
  }

  /** Facts about the query that every fragment needs. */
  private static final class Context {
    final FunnelQuery q;
    final int n;
    final StepClasses classes;
    final boolean hold;
    final boolean breakdown;
    final boolean strict;
    final boolean unordered;
    final boolean exclusions;
    final boolean units;
    final long windowMs;

    /**
     * Whether the report counts users per alternative: a step has several, and the funnel has an
     * order (an unordered report's step k counts users who completed k steps, not the step k).
     */
    final boolean alternatives;

    /** Whether a step has a time limit ({@link FunnelStep#within()}). */
    final boolean limits;

    Context(FunnelQuery q) {
      this.q = q;
      this.n = q.steps().size();
      this.classes = new StepClasses(q.steps());
      this.hold = !q.holdConstant().isEmpty();
      this.breakdown = q.breakdown().isPresent();
      this.strict = q.order() == OrderMode.STRICT;
      this.unordered = q.order() == OrderMode.UNORDERED;
      this.exclusions = !q.exclusions().isEmpty();
      this.units = q.countsUnits();
      this.windowMs = q.window().toMillis();
      this.alternatives = !unordered && q.steps().stream().anyMatch(FunnelStep::hasAlternatives);
      this.limits = hasLimits(q);
    }

    /** Step k's time limit in milliseconds; the window for a step without one (the same bound). */
    long limit(int k) {
      return q.steps().get(k).within().map(java.time.Duration::toMillis).orElse(windowMs);
    }

    String partition() {
      return hold ? "u, h" : "u";
    }

    String holdCol(String alias) {
      return hold ? alias + "h, " : "";
    }

    String bdCol(String alias) {
      return breakdown ? alias + "bd, " : "";
    }
  }

  // ---------------------------------------------------------------- attempts (shared CTE chain)

  private SqlFragment attempts(Context c, boolean prune) {
    SqlFragment f = new SqlFragment().sql("WITH ev AS (\n").append(events(c)).sql("\n),\n");
    f.sql("g AS (\n").append(groups(c)).sql("\n),\n");
    if (c.unordered) {
      f.append(unorderedAttempts(c));
    } else {
      f.append(orderedAttempts(c, prune));
    }
    return f;
  }

  private SqlFragment events(Context c) {
    SqlFragment f =
        new SqlFragment().sql("  SELECT ").append(unitOf(c.q, "")).sql(" AS u, event_time_ms AS t");
    if (c.hold) {
      f.sql(",\n    ");
      List<String> props = c.q.holdConstant();
      if (props.size() == 1) {
        f.sql(JSON_VALUE).bind(pointer(props.get(0))).sql(")");
      } else {
        f.sql("[");
        for (int i = 0; i < props.size(); i++) {
          f.sql(i == 0 ? "" : ", ").sql(JSON_VALUE).bind(pointer(props.get(i))).sql(")");
        }
        f.sql("]");
      }
      f.sql(" AS h");
    }
    for (int k = 0; k < c.classes.classCount(); k++) {
      FunnelStep step = c.classes.classRepresentative.get(k);
      f.sql(",\n    ").append(matches(step)).sql(" AS m").num(k);
    }
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      Exclusion x = c.q.exclusions().get(e);
      f.sql(",\n    ").append(matches(x.eventName(), x.filters())).sql(" AS x").num(e);
    }
    if (c.breakdown) {
      f.sql(",\n    CASE WHEN ");
      if (c.unordered) {
        f.sql(anyClass(c));
      } else {
        f.sql("m").num(c.classes.stepClass[0]);
      }
      Breakdown b = c.q.breakdown().get();
      f.sql(" THEN ").append(value(b.source(), b.property())).sql(" END AS bd");
    }
    f.sql("\n  FROM ").append(source(c.q)).sql("\n  WHERE app_id = ").bind(c.q.appId());
    c.q.from().ifPresent(from -> f.sql(" AND event_time_ms >= ").bind(from.toEpochMilli()));
    c.q
        .to()
        .ifPresent(
            to -> f.sql(" AND event_time_ms < ").bind(saturatedAdd(to.toEpochMilli(), c.windowMs)));
    if (!c.strict) {
      Set<String> names = new LinkedHashSet<>();
      c.q.steps().forEach(s -> names.addAll(s.eventNames()));
      c.q.exclusions().forEach(x -> names.add(x.eventName()));
      f.sql(" AND event_name IN (");
      int i = 0;
      for (String name : names) {
        f.sql(i++ == 0 ? "" : ", ").bind(name);
      }
      f.sql(")");
    }
    return f;
  }

  /** Whether the event fills {@code step} (matches one of its alternatives): never NULL. */
  static SqlFragment matches(FunnelStep step) {
    return new SqlFragment().sql("coalesce(").append(condition(step)).sql(", false)");
  }

  /**
   * {@code event_name = ? AND <filters>} of the step's one alternative, or those of every
   * alternative joined by {@code OR}: true when the event fills the step, else false or NULL.
   */
  static SqlFragment condition(FunnelStep step) {
    if (!step.hasAlternatives()) {
      EventMatch only = step.anyOf().get(0);
      return condition(only.eventName(), only.filters());
    }
    SqlFragment f = new SqlFragment().sql("(");
    for (int i = 0; i < step.anyOf().size(); i++) {
      EventMatch m = step.anyOf().get(i);
      f.sql(i == 0 ? "(" : " OR (").append(condition(m.eventName(), m.filters())).sql(")");
    }
    return f.sql(")");
  }

  /** {@code coalesce(event_name = ? AND <filters>, false)}: never NULL. */
  static SqlFragment matches(String eventName, List<PropertyFilter> filters) {
    return new SqlFragment().sql("coalesce(").append(condition(eventName, filters)).sql(", false)");
  }

  /** {@code event_name = ? AND <filters>}: NULL when a filter's value is missing. */
  static SqlFragment condition(String eventName, List<PropertyFilter> filters) {
    SqlFragment f = new SqlFragment().sql("event_name = ").bind(eventName);
    for (PropertyFilter filter : filters) {
      f.sql(" AND ").append(filter(filter));
    }
    return f;
  }

  /**
   * A property's value as text: {@code json_extract_string} of the event's metadata, or of its
   * person's traits (a column that {@link #source} adds).
   */
  static SqlFragment value(PropertySource source, String property) {
    return new SqlFragment()
        .sql(source == PropertySource.USER ? TRAIT_VALUE : JSON_VALUE)
        .bind(pointer(property))
        .sql(")");
  }

  /**
   * Whom an event counts for, the plans' {@code u}: its person's key, or, when the funnel counts
   * the values of a property ({@link FunnelQuery#countBy}), that property's text as filters read it
   * (NULL when the event lacks it or holds JSON null: such an event belongs to no unit).
   *
   * @param alias the events relation's name with its dot, or empty
   */
  static SqlFragment unitOf(FunnelQuery q, String alias) {
    if (q.countBy().isEmpty()) {
      return new SqlFragment().sql(alias).sql("person_key");
    }
    return new SqlFragment()
        .sql("json_extract_string(")
        .sql(alias)
        .sql("metadata, ")
        .bind(pointer(q.countBy().get()))
        .sql(")");
  }

  /**
   * {@code na}: how many of the funnel's step events have no unit (a funnel counting units only):
   * the rows of {@code relation} whose {@code u} is NULL and, when given, that {@code isStepEvent}
   * holds for (null: every row is one). The report's {@link FunnelPlan#UNASSIGNED_COLUMN}.
   */
  static SqlFragment unassigned(String relation, SqlFragment isStepEvent) {
    return new SqlFragment()
        .sql("na AS (\n  SELECT count(*) FILTER (WHERE u IS NULL")
        .sql(isStepEvent == null ? "" : " AND ")
        .append(isStepEvent == null ? new SqlFragment() : isStepEvent)
        .sql(")::BIGINT AS unassigned FROM ")
        .sql(relation)
        .sql("\n),\n");
  }

  /**
   * The relation the plans read events from: the {@link #population} ({@code events} unless the
   * query names cohorts), or, when a filter or the breakdown reads traits, those events with their
   * person's traits (one hash join with the app's persons that have traits, paid only by such
   * funnels), named {@code events} as well.
   */
  static SqlFragment source(FunnelQuery q) {
    if (!q.readsTraits()) {
      return population(q);
    }
    return new SqlFragment()
        .sql("(SELECT events.*, pt.traits FROM ")
        .append(population(q))
        .sql(" LEFT JOIN (")
        .sql("SELECT user_key AS trait_key, traits FROM users WHERE app_id = ")
        .bind(q.appId())
        .sql(" AND traits IS NOT NULL) pt ON pt.trait_key = events.person_key) events");
  }

  /**
   * The events of the persons a query counts: {@code events}, or, when the query names cohorts, the
   * events whose person (as resolved now) is a member of an include cohort (any of them) and of no
   * exclude cohort, named {@code events} as well. A member identifier resolves through the user
   * dictionary to its person, so a merge after the cohort was created applies. Funnels without
   * cohorts read {@code events} untouched.
   */
  static SqlFragment population(FunnelQuery q) {
    CohortRestriction cohorts = q.cohorts();
    if (cohorts.isEmpty()) {
      return new SqlFragment().sql("events");
    }
    SqlFragment f = new SqlFragment().sql("(SELECT * FROM events WHERE app_id = ").bind(q.appId());
    if (!cohorts.include().isEmpty()) {
      f.sql(" AND person_key IN (").append(members(q.appId(), cohorts.include())).sql(")");
    }
    if (!cohorts.exclude().isEmpty()) {
      f.sql(" AND person_key NOT IN (").append(members(q.appId(), cohorts.exclude())).sql(")");
    }
    return f.sql(") events");
  }

  /** The person keys of the members of {@code cohortIds} (never NULL: users.person_key is set). */
  private static SqlFragment members(long appId, Set<Long> cohortIds) {
    SqlFragment f =
        new SqlFragment()
            .sql("SELECT cu.person_key FROM cohort_members cm JOIN users cu")
            .sql(" ON cu.app_id = cm.app_id AND cu.user_identifier = cm.user_identifier")
            .sql(" WHERE cm.app_id = ")
            .bind(appId)
            .sql(" AND cm.cohort_id IN (");
    boolean first = true;
    for (long id : cohortIds) {
      f.sql(first ? "" : ", ").bind(id);
      first = false;
    }
    return f.sql(")");
  }

  private static SqlFragment filter(PropertyFilter p) {
    SqlFragment v = value(p.source(), p.property());
    SqlFragment f = new SqlFragment();
    switch (p.op()) {
      case EQ -> f.append(v).sql(" = ").bind(p.value());
      case NEQ ->
          f.sql("(").append(v).sql(" IS NULL OR ").append(v).sql(" <> ").bind(p.value()).sql(")");
      case IN -> {
        f.append(v).sql(" IN (");
        for (int i = 0; i < p.values().size(); i++) {
          f.sql(i == 0 ? "" : ", ").bind(p.values().get(i));
        }
        f.sql(")");
      }
      case CONTAINS ->
          f.sql("strpos(lower(").append(v).sql("), lower(").bind(p.value()).sql(")) > 0");
      case GT -> f.sql("TRY_CAST(").append(v).sql(" AS DOUBLE) > ").bind(p.numericValue());
      case GTE -> f.sql("TRY_CAST(").append(v).sql(" AS DOUBLE) >= ").bind(p.numericValue());
      case LT -> f.sql("TRY_CAST(").append(v).sql(" AS DOUBLE) < ").bind(p.numericValue());
      case LTE -> f.sql("TRY_CAST(").append(v).sql(" AS DOUBLE) <= ").bind(p.numericValue());
      case IS_SET -> f.append(v).sql(" IS NOT NULL");
      case IS_NOT_SET -> f.append(v).sql(" IS NULL");
    }
    return f;
  }

  private SqlFragment groups(Context c) {
    SqlFragment f = new SqlFragment().sql("  SELECT u, ").sql(c.holdCol("")).sql("t");
    List<StepClasses.Subset> subsets = c.classes.subsets;
    for (int s = 0; s < subsets.size(); s++) {
      f.sql(",\n    count(*) FILTER (WHERE ");
      List<Integer> members = subsets.get(s).classes();
      for (int i = 0; i < members.size(); i++) {
        f.sql(i == 0 ? "m" : " OR m").num(members.get(i));
      }
      f.sql(") AS c").num(s);
    }
    if (c.breakdown) {
      f.sql(",\n    min(bd) AS bd");
    }
    f.sql("\n  FROM ev\n  WHERE ")
        .sql(anyClass(c))
        .sql(c.units ? " AND u IS NOT NULL" : "")
        .sql("\n  GROUP BY u, ")
        .sql(c.holdCol(""))
        .sql("t");
    return f;
  }

  /**
   * Whether an {@code ev} row is one of the funnel's step events: it fills some step; in ordered
   * and strict mode an event that fills only the first step counts before the entry range's end
   * only (it can only start an attempt). {@code ev} holds the rest of the bounds.
   */
  private static SqlFragment stepEvent(Context c) {
    if (c.unordered || c.q.to().isEmpty()) {
      return new SqlFragment().sql(anyClass(c));
    }
    Set<Integer> later = new java.util.TreeSet<>();
    for (int k = 1; k < c.n; k++) {
      later.add(c.classes.stepClass[k]);
    }
    SqlFragment f = new SqlFragment().sql("((m").num(c.classes.stepClass[0]).sql(" AND t < ");
    f.bind(c.q.to().get().toEpochMilli()).sql(")");
    for (int k : later) {
      f.sql(" OR m").num(k);
    }
    return f.sql(")");
  }

  private static String anyClass(Context c) {
    StringBuilder sb = new StringBuilder("(");
    for (int k = 0; k < c.classes.classCount(); k++) {
      sb.append(k == 0 ? "m" : " OR m").append(k);
    }
    return sb.append(")").toString();
  }

  // ---------------------------------------------------------------- ordered and strict

  private SqlFragment orderedAttempts(Context c, boolean prune) {
    SqlFragment f = new SqlFragment();
    // gw: r<a> (furthest step fillable here entering at step a), nx<k> (next instant able to fill
    // step k), ns (next instant able to start an attempt).
    f.sql(c.strict || c.exclusions ? "gw AS (\n  SELECT *" : "gw AS MATERIALIZED (\n  SELECT *");
    for (int k = 1; k < c.n; k++) {
      f.sql(",\n    min(t) FILTER (WHERE r").num(k).sql(" >= ").num(k).sql(") OVER w AS nx").num(k);
    }
    if (prune) {
      f.sql(",\n    min(t) FILTER (WHERE r0 >= 0) OVER w AS ns");
    }
    f.sql("\n  FROM (\n    SELECT u, ").sql(c.holdCol("")).sql("t, ").sql(c.bdCol(""));
    for (int a = 0; a < c.n; a++) {
      f.sql(a == 0 ? "" : ",\n      ")
          .sql("CAST(")
          .append(furthestFill(c, a))
          .sql(" AS TINYINT) AS r")
          .num(a);
    }
    f.sql("\n    FROM g\n  )\n  WINDOW w AS (PARTITION BY ").sql(c.partition());
    f.sql(" ORDER BY t ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)\n),\n");

    String src = "gw";
    if (c.strict || c.exclusions) {
      f.append(userTimeline(c));
      src = "gj";
    }
    // gh: the instants an attempt can hop to (able to fill some step after the first).
    f.sql("gh AS MATERIALIZED (\n  SELECT u, ").sql(c.holdCol("")).sql("t").sql(columns(c, ""));
    f.sql("\n  FROM ").sql(src).sql("\n  WHERE ");
    for (int k = 1; k < c.n; k++) {
      f.sql(k == 1 ? "" : " OR ").sql("r").num(k).sql(" >= ").num(k);
    }
    f.sql("\n),\n");
    if (c.strict || c.limits) {
      return f.append(searchedChains(c, src, prune));
    }
    // a0: one attempt per instant able to fill step 1 inside the entry range.
    f.sql("a0 AS MATERIALIZED (\n  SELECT *, ").append(nextKey(c)).sql(" AS nk\n  FROM (\n");
    f.sql("    SELECT u, ").sql(c.holdCol("")).sql("t AS s, r0 AS b").sql(hopColumns(c, ""));
    f.sql(", ").sql(c.bdCol("")).sql("list_resize([]::BIGINT[], r0 + 1, t) AS tt");
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      Exclusion x = c.q.exclusions().get(e);
      f.sql(",\n      CASE WHEN r0 >= ")
          .num(x.fromStep())
          .sql(" THEN fx")
          .num(e)
          .sql(" END AS q")
          .num(e);
    }
    f.sql(",\n      false AS hit\n    FROM ").sql(src).sql("\n    WHERE r0 >= 0");
    c.q.from().ifPresent(from -> f.sql(" AND t >= ").bind(from.toEpochMilli()));
    c.q.to().ifPresent(to -> f.sql(" AND t < ").bind(to.toEpochMilli()));
    if (prune) {
      f.sql("\n     ").append(dominatedStart(c));
    }
    f.sql("\n  )\n),\n");
    for (int hop = 1; hop < c.n; hop++) {
      f.append(hop(c, hop));
    }
    // att: every attempt where it stopped; an unfinished attempt is hit by an exclusion inside its
    // window.
    StringBuilder cols =
        new StringBuilder("u, ").append(c.holdCol("")).append("s, b, tt, ").append(c.bdCol(""));
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      cols.append("q").append(e).append(", ");
    }
    cols.append("hit");
    f.sql("att AS MATERIALIZED (\n  SELECT u, ")
        .sql(c.holdCol(""))
        .sql("s, b, tt, ")
        .sql(c.bdCol(""))
        .sql("hit");
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      Exclusion x = c.q.exclusions().get(e);
      f.sql("\n    OR coalesce(b >= ").num(x.fromStep()).sql(" AND b < ").num(x.toStep());
      f.sql(" AND q").num(e).sql(" <= s + ").bind(c.windowMs).sql(", false)");
    }
    f.sql(" AS hit\n  FROM (");
    for (int hop = 0; hop < c.n; hop++) {
      f.sql(hop == 0 ? "\n    " : "\n    UNION ALL ")
          .sql("SELECT ")
          .sql(cols.toString())
          .sql(" FROM a")
          .num(hop)
          .sql(" WHERE nk IS NULL");
    }
    f.sql("\n  )\n)");
    return f;
  }

  /**
   * Strict mode's chains, and ordered mode's when steps have time limits. Taking each step at the
   * earliest instant, as far as that instant allows, is not enough here. In strict mode what breaks
   * a chain depends on its current step, so a chain that fills fewer steps at an instant, or takes
   * its next step at a later instant of a run of events that match both its current and its next
   * step, can get further. With time limits a later instant (or fewer steps filled at one) leaves
   * more time for the next limited step: with steps {@code A, B, C}, C within 10 s of B, and {@code
   * A@0 B@10 B@100 C@105}, only {@code B@100} reaches C. Every start therefore keeps every (step,
   * instant) state it can reach, with the earliest step times of each, and its attempt is the
   * furthest state (earliest step times among those). Exclusions are then checked on that chain.
   *
   * <p>A state at step b and instant t moves to an instant t' in (t, lim], lim = min(s + W, t +
   * W_(b+1), strict: fb_b, the next instant with an event that does not match step b), able to fill
   * step b + 1, and fills b + 1..j there for each j it can. The one candidate is the next instant
   * able to fill step b + 1 (an equi-join) unless a later one can matter (a range join): in strict
   * mode when steps b and b + 1 share an event name (otherwise every instant before fb_b holds only
   * step b's events), in ordered mode when a step after b + 1 has a time limit (otherwise the
   * earliest instant is never worse). With {@code prune}, dominated starts are skipped as in {@link
   * #orderedAttempts}.
   */
  private SqlFragment searchedChains(Context c, String src, boolean prune) {
    List<Integer> sameName = new ArrayList<>();
    for (int b = 0; b + 1 < c.n; b++) {
      if (c.strict) {
        Set<String> current = c.q.steps().get(b).eventNames();
        if (c.q.steps().get(b + 1).eventNames().stream().anyMatch(current::contains)) {
          sameName.add(b);
        }
      } else if (limitAfter(c.q, b + 2)) {
        sameName.add(b);
      }
    }
    SqlFragment f = new SqlFragment().sql("a0 AS MATERIALIZED (\n  SELECT *, ");
    f.append(strictNext(c, !sameName.isEmpty())).sql("\n  FROM (\n    SELECT u, ");
    f.sql(c.holdCol("")).sql("s, j AS b, s AS t, ").sql(c.bdCol(""));
    f.sql("list_resize([]::BIGINT[], j + 1, s) AS tt").sql(hopColumns(c, ""));
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      f.sql(", CASE WHEN j >= ")
          .num(c.q.exclusions().get(e).fromStep())
          .sql(" THEN fx")
          .num(e)
          .sql(" END AS q")
          .num(e);
    }
    f.sql("\n    FROM (SELECT *, t AS s, unnest(range(r0 + 1)) AS j FROM ").sql(src);
    f.sql(" WHERE r0 >= 0");
    c.q.from().ifPresent(from -> f.sql(" AND t >= ").bind(from.toEpochMilli()));
    c.q.to().ifPresent(to -> f.sql(" AND t < ").bind(to.toEpochMilli()));
    if (prune && !c.strict) {
      f.append(dominatedStart(c));
    }
    f.sql(")\n  )\n),\n");
    for (int hop = 1; hop < c.n; hop++) {
      f.sql("a").num(hop).sql(" AS MATERIALIZED (\n  SELECT *, ");
      f.append(strictNext(c, !sameName.isEmpty())).sql("\n  FROM (\n    SELECT u, ");
      f.sql(c.holdCol("")).sql("s, nb AS b, t, ").sql(c.bdCol(""));
      f.sql("list_resize(tt, nb + 1, t) AS tt").sql(hopColumns(c, ""));
      for (int e = 0; e < c.q.exclusions().size(); e++) {
        int i = c.q.exclusions().get(e).fromStep();
        f.sql(",\n      CASE WHEN pb < ").num(i).sql(" AND nb >= ").num(i);
        f.sql(" THEN fx").num(e).sql(" ELSE q").num(e).sql(" END AS q").num(e);
      }
      f.sql("\n    FROM (\n      ").append(strictMove(c, hop, "g.t = a.nk", List.of()));
      if (!sameName.isEmpty()) {
        f.sql("\n      UNION ALL\n      ")
            .append(strictMove(c, hop, "g.t > a.t AND g.t <= a.lim", sameName));
      }
      f.sql("\n    )\n  )\n  QUALIFY row_number() OVER (PARTITION BY u, ")
          .sql(c.holdCol(""))
          .sql("s, b, t ORDER BY tt) = 1\n),\n");
    }
    f.sql("att AS MATERIALIZED (\n  SELECT u, ").sql(c.holdCol("")).sql("s, b, tt, ");
    f.sql(c.bdCol("")).sql("false");
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      Exclusion x = c.q.exclusions().get(e);
      f.sql("\n    OR coalesce(b >= ").num(x.fromStep()).sql(" AND CASE WHEN b >= ");
      f.num(x.toStep()).sql(" THEN q").num(e).sql(" < tt[").num(x.toStep() + 1);
      f.sql("] ELSE q").num(e).sql(" <= s + ").bind(c.windowMs).sql(" END, false)");
    }
    f.sql(" AS hit\n  FROM (");
    String state = stateColumns(c);
    for (int hop = 0; hop < c.n; hop++) {
      f.sql(hop == 0 ? "\n    " : "\n    UNION ALL ")
          .sql("SELECT ")
          .sql(state)
          .sql(" FROM a")
          .num(hop);
    }
    f.sql("\n  )\n  QUALIFY row_number() OVER (PARTITION BY u, ")
        .sql(c.holdCol(""))
        .sql("s ORDER BY b DESC, tt) = 1\n)");
    return f;
  }

  /**
   * {@code AND NOT (...)}: a start that fills only step 1 and is followed by another start before
   * any instant able to fill step 2 is dominated: the later start follows the same chain with more
   * window left (and more time for step 2's limit), and ties between attempts go to the later
   * start.
   */
  private static SqlFragment dominatedStart(Context c) {
    SqlFragment f =
        new SqlFragment().sql(" AND NOT (r0 = 0 AND ns IS NOT NULL AND (nx1 IS NULL OR ns < nx1)");
    c.q.to().ifPresent(to -> f.sql(" AND ns < ").bind(to.toEpochMilli()));
    return f.sql(")");
  }

  /** Whether any step from {@code from} on has a time limit. */
  private static boolean limitAfter(FunnelQuery q, int from) {
    for (int k = from; k < q.steps().size(); k++) {
      if (q.steps().get(k).within().isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** Whether any step of {@code q} has a time limit. */
  static boolean hasLimits(FunnelQuery q) {
    return limitAfter(q, 0);
  }

  /** What a strict state carries into {@code att}. */
  private static String stateColumns(Context c) {
    StringBuilder sb = new StringBuilder("u, ").append(c.holdCol("")).append("s, b, tt");
    if (c.breakdown) {
      sb.append(", bd");
    }
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      sb.append(", q").append(e);
    }
    return sb.toString();
  }

  /**
   * One strict move of the states of hop {@code hop - 1} to the instants {@code on} selects (only
   * states at the steps {@code onlySteps}, when given), each filling steps b + 1..j there.
   */
  private SqlFragment strictMove(Context c, int hop, String on, List<Integer> onlySteps) {
    String furthest = pick("a.b", "g.r", 0, c.n - 2, 1);
    SqlFragment f = new SqlFragment().sql("SELECT a.u, ").sql(c.holdCol("a.")).sql("a.s, ");
    f.sql(c.bdCol("a.")).sql("a.tt, a.b AS pb, g.t").sql(hopColumns(c, "g."));
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      f.sql(", a.q").num(e);
    }
    f.sql(", unnest(range(a.b + 1, ").sql(furthest).sql(" + 1)) AS nb\n      FROM a");
    f.num(hop - 1).sql(" a JOIN gh g ON g.u = a.u");
    if (c.hold) {
      f.sql(" AND g.h IS NOT DISTINCT FROM a.h");
    }
    f.sql(" AND ").sql(on);
    if (!onlySteps.isEmpty()) {
      f.sql("\n      WHERE a.b IN (");
      for (int i = 0; i < onlySteps.size(); i++) {
        f.sql(i == 0 ? "" : ", ").num(onlySteps.get(i));
      }
      f.sql(")");
    }
    return f;
  }

  /**
   * {@code nk}, the next instant able to fill the state's next step if it is inside the window,
   * within the step's time limit and (strict) no event breaks the chain before it, and (with {@code
   * range}) {@code lim}, the last instant the state may move to.
   */
  private SqlFragment strictNext(Context c, boolean range) {
    String next = pick("b", "nx", 0, c.n - 2, 1);
    String breaker = pick("b", "fb", 0, c.n - 2, 0);
    SqlFragment f = new SqlFragment().sql("CASE WHEN b < ").num(c.n - 1).sql(" AND ");
    f.sql(next).sql(" - s <= ").bind(c.windowMs);
    if (c.limits) {
      f.sql(" AND ").sql(next).sql(" - t <= ").append(nextLimit(c));
    }
    if (c.strict) {
      f.sql(" AND (").sql(breaker).sql(" IS NULL OR ").sql(next).sql(" <= ").sql(breaker).sql(")");
    }
    f.sql(" THEN ").sql(next).sql(" END AS nk");
    if (range) {
      f.sql(",\n    CASE WHEN b < ").num(c.n - 1).sql(" THEN least(s + ").bind(c.windowMs);
      if (c.strict) {
        f.sql(", coalesce(").sql(breaker).sql(", s + ").bind(c.windowMs).sql(")");
      }
      if (c.limits) {
        f.sql(", t + ").append(nextLimit(c));
      }
      f.sql(") END AS lim");
    }
    return f;
  }

  /** {@code CASE b WHEN 0 THEN <W_1> ...}: the time limit of the state's next step. */
  private static SqlFragment nextLimit(Context c) {
    SqlFragment f = new SqlFragment().sql("CASE b");
    for (int b = 0; b + 1 < c.n; b++) {
      f.sql(" WHEN ").num(b).sql(" THEN ").bind(c.limit(b + 1));
    }
    return f.sql(" END");
  }

  /** The per-instant columns a hop needs: r1.., nx1.., fb0.. (strict), fx0.. (exclusions). */
  private static String columns(Context c, String alias) {
    StringBuilder sb = new StringBuilder();
    for (int a = 1; a < c.n; a++) {
      sb.append(", ").append(alias).append("r").append(a);
    }
    return sb.append(hopColumns(c, alias)).toString();
  }

  /** nx1.., fb0.. (strict), fx0.. (exclusions): what an attempt carries about its instant. */
  private static String hopColumns(Context c, String alias) {
    StringBuilder sb = new StringBuilder();
    for (int k = 1; k < c.n; k++) {
      sb.append(", ").append(alias).append("nx").append(k);
    }
    if (c.strict) {
      for (int k = 0; k < c.n - 1; k++) {
        sb.append(", ").append(alias).append("fb").append(k);
      }
    }
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      sb.append(", ").append(alias).append("fx").append(e);
    }
    return sb.toString();
  }

  /**
   * {@code CASE <index> WHEN from THEN <prefix><from + shift> ... END}: a column picked by a step.
   */
  private static String pick(String index, String prefix, int from, int to, int shift) {
    StringBuilder sb = new StringBuilder("CASE ").append(index);
    for (int i = from; i <= to; i++) {
      sb.append(" WHEN ").append(i).append(" THEN ").append(prefix).append(i + shift);
    }
    return sb.append(" END").toString();
  }

  /**
   * {@code nk}: the instant an attempt hops to next, NULL when it stops: last step reached, hit by
   * an exclusion, no later instant can fill its next step inside the window, or (strict) a breaking
   * event comes first.
   */
  private SqlFragment nextKey(Context c) {
    String next = pick("b", "nx", 0, c.n - 2, 1);
    SqlFragment f =
        new SqlFragment()
            .sql("CASE WHEN b < ")
            .num(c.n - 1)
            .sql(" AND NOT hit AND ")
            .sql(next)
            .sql(" - s <= ")
            .bind(c.windowMs);
    if (c.strict) {
      String breaker = pick("b", "fb", 0, c.n - 2, 0);
      f.sql("\n      AND (")
          .sql(breaker)
          .sql(" IS NULL OR ")
          .sql(next)
          .sql(" <= ")
          .sql(breaker)
          .sql(")");
    }
    return f.sql(" THEN ").sql(next).sql(" END");
  }

  /**
   * {@code r<a>}: the furthest step b such that steps a..b can each get a distinct event of this
   * instant (a - 1 when step a cannot). For each class subset S, the (count_S + 1)-th step at or
   * after a that needs a class of S is the first one that cannot be filled.
   */
  private SqlFragment furthestFill(Context c, int a) {
    SqlFragment f = new SqlFragment().sql("least(").num(c.n);
    List<StepClasses.Subset> subsets = c.classes.subsets;
    for (int s = 0; s < subsets.size(); s++) {
      List<Integer> pos = c.classes.positionsFrom(subsets.get(s), a);
      if (pos.isEmpty()) {
        continue;
      }
      f.sql(", CASE WHEN c")
          .num(s)
          .sql(" >= ")
          .num(pos.size())
          .sql(" THEN ")
          .num(c.n)
          .sql(" ELSE ");
      if (pos.size() == 1) {
        f.num(pos.get(0));
      } else {
        f.sql("[");
        for (int i = 0; i < pos.size(); i++) {
          f.sql(i == 0 ? "" : ", ").num(pos.get(i));
        }
        f.sql("][c").num(s).sql(" + 1]");
      }
      f.sql(" END");
    }
    return f.sql(") - 1");
  }

  /** ut/utw/gj: per user and instant, the next breaking event (strict) and excluded event. */
  private SqlFragment userTimeline(Context c) {
    SqlFragment f = new SqlFragment().sql("ut AS (\n  SELECT u, t");
    if (c.strict) {
      for (int k = 0; k < c.n - 1; k++) {
        f.sql(",\n    bool_or(NOT m").num(c.classes.stepClass[k]).sql(") AS k").num(k);
      }
    }
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      f.sql(",\n    bool_or(x").num(e).sql(") AS y").num(e);
    }
    f.sql("\n  FROM ev").sql(c.units ? "\n  WHERE u IS NOT NULL" : "");
    f.sql("\n  GROUP BY u, t\n),\nutw AS (\n  SELECT u, t");
    if (c.strict) {
      for (int k = 0; k < c.n - 1; k++) {
        f.sql(",\n    min(t) FILTER (WHERE k").num(k).sql(") OVER w AS fb").num(k);
      }
    }
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      f.sql(",\n    min(t) FILTER (WHERE y").num(e).sql(") OVER w AS fx").num(e);
    }
    f.sql(
        "\n  FROM ut\n  WINDOW w AS (PARTITION BY u ORDER BY t ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)\n),\n");
    f.sql("gj AS MATERIALIZED (\n  SELECT gw.*");
    if (c.strict) {
      for (int k = 0; k < c.n - 1; k++) {
        f.sql(", utw.fb").num(k);
      }
    }
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      f.sql(", utw.fx").num(e);
    }
    f.sql("\n  FROM gw JOIN utw USING (u, t)\n),\n");
    return f;
  }

  /** One hop: every live attempt moves to the instant {@code nk} and fills what it can there. */
  private SqlFragment hop(Context c, int hop) {
    String newB = pick("a.b", "g.r", 0, c.n - 2, 1);
    SqlFragment f =
        new SqlFragment()
            .sql("a")
            .num(hop)
            .sql(" AS MATERIALIZED (\n  SELECT *, ")
            .append(nextKey(c));
    f.sql(" AS nk\n  FROM (\n    SELECT a.u, ")
        .sql(c.holdCol("a."))
        .sql("a.s, ")
        .sql(c.bdCol("a."));
    f.sql(newB).sql(" AS b").sql(hopColumns(c, "g."));
    f.sql(",\n      list_resize(a.tt, ").sql(newB).sql(" + 1, g.t) AS tt");
    SqlFragment hit = new SqlFragment().sql("false");
    for (int e = 0; e < c.q.exclusions().size(); e++) {
      Exclusion x = c.q.exclusions().get(e);
      int i = x.fromStep();
      int j = x.toStep();
      f.sql(",\n      CASE WHEN a.b < ").num(i).sql(" AND ").sql(newB).sql(" >= ").num(i);
      f.sql(" THEN g.fx").num(e).sql(" ELSE a.q").num(e).sql(" END AS q").num(e);
      hit.sql("\n        OR (a.b >= ")
          .num(i)
          .sql(" AND a.b < ")
          .num(j)
          .sql(" AND ")
          .sql(newB)
          .sql(" >= ")
          .num(j);
      hit.sql(" AND coalesce(a.q").num(e).sql(" < g.t, false))");
    }
    // The semi-join first cuts gh down to the live attempts' targets, so the join's hash table is
    // built on a few rows instead of every instant.
    String holdMatch = c.hold ? " AND x.h IS NOT DISTINCT FROM gh.h" : "";
    f.sql(",\n      ")
        .append(hit)
        .sql(" AS hit\n    FROM a")
        .num(hop - 1)
        .sql(" a\n    JOIN (\n      SELECT * FROM gh\n");
    f.sql("      WHERE EXISTS (SELECT 1 FROM a")
        .num(hop - 1)
        .sql(" x WHERE x.u = gh.u AND x.nk = gh.t")
        .sql(holdMatch)
        .sql(")\n");
    f.sql("    ) g ON g.u = a.u");
    if (c.hold) {
      f.sql(" AND g.h IS NOT DISTINCT FROM a.h");
    }
    f.sql(" AND g.t = a.nk\n  )\n),\n");
    return f;
  }

  // ---------------------------------------------------------------- unordered

  private SqlFragment unorderedAttempts(Context c) {
    List<StepClasses.Subset> subsets = c.classes.subsets;
    SqlFragment f =
        new SqlFragment()
            .sql("gw AS (\n  SELECT u, ")
            .sql(c.holdCol(""))
            .sql("t, ")
            .sql(c.bdCol(""));
    for (int s = 0; s < subsets.size(); s++) {
      f.sql("sum(c").num(s).sql(") OVER w AS w").num(s).sql(",\n    ");
    }
    f.sql("[");
    for (int k = 0; k < c.n; k++) {
      int single = c.classes.singletonSubset[c.classes.stepClass[k]];
      f.sql(k == 0 ? "" : ", ").sql("min(t) FILTER (WHERE c").num(single).sql(" > 0) OVER w");
    }
    f.sql("] AS f\n  FROM g\n  WINDOW w AS (PARTITION BY ").sql(c.partition());
    f.sql(" ORDER BY t RANGE BETWEEN CURRENT ROW AND ").bind(c.windowMs).sql(" FOLLOWING)\n),\n");
    f.sql("att AS MATERIALIZED (\n  SELECT u, ").sql(c.holdCol("")).sql("s, lvl - 1 AS b, ");
    f.sql("list_slice(list_sort(list_filter(f, lambda x: x IS NOT NULL)), 1, lvl) AS tt, ")
        .sql(c.bdCol(""));
    f.sql("false AS hit\n  FROM (\n    SELECT u, ")
        .sql(c.holdCol(""))
        .sql("t AS s, ")
        .sql(c.bdCol(""))
        .sql("f,\n      CAST(");
    // Maximum matching of steps to distinct events in [s, s + W]: per event name, steps minus the
    // largest Hall deficiency over its class subsets.
    int[] needByName = new int[c.classes.componentCount];
    for (int k = 0; k < c.n; k++) {
      for (StepClasses.Subset s : subsets) {
        if (s.classes().size() == 1 && s.classes().get(0) == c.classes.stepClass[k]) {
          needByName[s.component()]++;
        }
      }
    }
    for (int name = 0; name < c.classes.componentCount; name++) {
      f.sql(name == 0 ? "" : " + ").num(needByName[name]).sql(" - greatest(0");
      for (int s = 0; s < subsets.size(); s++) {
        if (subsets.get(s).component() != name) {
          continue;
        }
        f.sql(", ").num(c.classes.positionsFrom(subsets.get(s), 0).size()).sql(" - w").num(s);
      }
      f.sql(")");
    }
    f.sql(" AS BIGINT) AS lvl\n    FROM gw");
    List<String> conds = new ArrayList<>();
    c.q.from().ifPresent(x -> conds.add("from"));
    c.q.to().ifPresent(x -> conds.add("to"));
    if (!conds.isEmpty()) {
      f.sql("\n    WHERE ");
      c.q.from().ifPresent(from -> f.sql("t >= ").bind(from.toEpochMilli()));
      if (conds.size() == 2) {
        f.sql(" AND ");
      }
      c.q.to().ifPresent(to -> f.sql("t < ").bind(to.toEpochMilli()));
    }
    f.sql("\n  )\n)");
    return f;
  }

  // ---------------------------------------------------------------- outputs

  /** {@code best}, {@code ub}: each user's chosen attempt (level, step times, breakdown value). */
  private SqlFragment bestAttempts(Context c) {
    return bestAttempts(c, new SqlFragment());
  }

  /** {@link #bestAttempts(Context)} among the attempts that also meet {@code also} (if any). */
  private SqlFragment bestAttempts(Context c, SqlFragment also) {
    SqlFragment f =
        new SqlFragment().sql("best AS (\n  SELECT u, min({'nl': -(b + 1), 'ns': -s, 'tt': tt");
    if (c.breakdown) {
      f.sql(", 'bn': bd IS NULL, 'bd': bd");
    }
    f.sql("}) AS k\n  FROM att\n  WHERE NOT hit").append(also).sql("\n  GROUP BY u\n),\n");
    f.sql("ub AS (\n  SELECT u, -k.nl AS lvl, k.tt AS tt").sql(c.breakdown ? ", k.bd AS bd" : "");
    f.sql("\n  FROM best\n),\n");
    return f;
  }

  /**
   * From {@code ub} (user, level, step times, breakdown value): {@code lv} (users per level, per
   * breakdown group) and {@code pt} (step times of the users past step 1), then the result.
   */
  private SqlFragment stepsTail(Context c, boolean nativeStatus) {
    SqlFragment f = new SqlFragment();
    if (c.breakdown) {
      int limit = c.q.breakdown().get().limit();
      f.append(breakdownRanks());
      f.sql("ubk AS MATERIALIZED (\n  SELECT ub.lvl, ub.tt, CASE WHEN bk.rn <= ")
          .bind((long) limit);
      f.sql(" THEN ub.bd END AS bval, bk.rn > ").bind((long) limit).sql(" AS bother\n");
      f.sql("  FROM ub JOIN bk ON bk.bd IS NOT DISTINCT FROM ub.bd\n),\n");
      f.sql(
          "lv AS (\n  SELECT bval, bother, lvl, count(*) AS c FROM ubk GROUP BY bval, bother, lvl\n),\n");
      f.sql("pt AS (\n  SELECT bval, bother, lvl, tt FROM ubk WHERE lvl >= 2\n),\n");
    } else {
      f.sql("lv AS (\n  SELECT lvl, count(*) AS c FROM ub GROUP BY lvl\n),\n");
      f.sql("pt AS (\n  SELECT lvl, tt FROM ub WHERE lvl >= 2\n),\n");
    }
    if (c.alternatives) {
      f.append(alternativeCounts(c));
    }
    return f.append(levelsTail(c, nativeStatus));
  }

  /**
   * {@code al}: for each step k with several alternatives, the users of {@code ub} at step k per
   * alternative ({@code alts}, in the step's order): those with an event at their chain's step-k
   * instant that matches the alternative. One join of the step's events with {@code ub} per such
   * step.
   */
  private static SqlFragment alternativeCounts(Context c) {
    SqlFragment f = new SqlFragment().sql("al AS (");
    boolean first = true;
    for (int k = 0; k < c.n; k++) {
      FunnelStep step = c.q.steps().get(k);
      if (!step.hasAlternatives()) {
        continue;
      }
      f.sql(first ? "\n  " : "\n  UNION ALL\n  ").sql("SELECT ").num(k).sql(" AS k, [");
      first = false;
      for (int a = 0; a < step.anyOf().size(); a++) {
        f.sql(a == 0 ? "" : ", ").sql("count(DISTINCT u) FILTER (WHERE f").num(a).sql(")");
      }
      f.sql("] AS alts\n  FROM (\n    SELECT ub.u");
      for (int a = 0; a < step.anyOf().size(); a++) {
        EventMatch m = step.anyOf().get(a);
        f.sql(", ").append(matches(m.eventName(), m.filters())).sql(" AS f").num(a);
      }
      f.sql("\n    FROM ub JOIN ").append(source(c.q)).sql(" ON ");
      f.append(unitOf(c.q, "events.")).sql(" = ub.u AND events.event_time_ms = ub.tt[").num(k + 1);
      f.sql("]\n    WHERE events.app_id = ").bind(c.q.appId());
      f.sql(" AND ub.lvl > ").num(k).sql(" AND events.event_name IN (");
      int i = 0;
      for (String name : step.eventNames()) {
        f.sql(i++ == 0 ? "" : ", ").bind(name);
      }
      f.sql(")\n  )");
    }
    return f.sql("\n),\n");
  }

  /**
   * {@code bk}: the rank of each breakdown value of {@code ub} (users descending, then value, the
   * missing value last); the report's groups are the values ranked within the breakdown's limit,
   * the rest merge into "other".
   */
  private static SqlFragment breakdownRanks() {
    return new SqlFragment()
        .sql("bk AS (\n  SELECT bd, row_number() OVER (ORDER BY users DESC, bd ASC NULLS LAST)")
        .sql(" AS rn\n  FROM (SELECT bd, count(*) AS users FROM ub GROUP BY bd)\n),\n");
  }

  /**
   * From {@code lv} and {@code pt}: one row per (breakdown group, step) with users and times, and
   * the {@link FunnelPlan#GAVE_UP_COLUMN}: with {@code nativeStatus}, {@code nst}'s answer (on a
   * row of its own, without a step, when there is no other), else false. A funnel counting units
   * adds {@code na}'s {@link FunnelPlan#UNASSIGNED_COLUMN} the same way.
   */
  private SqlFragment levelsTail(Context c, boolean nativeStatus) {
    SqlFragment f = new SqlFragment();
    String groupCols = c.breakdown ? "bval, bother, " : "";
    String groupBy = c.breakdown ? "GROUP BY GROUPING SETS ((k), (bval, bother, k))" : "GROUP BY k";
    String inGroup = c.breakdown ? "grouping(bval, bother) = 0 AS in_group, " : "";
    // sc: users at step k (0-based) = users whose level is above k.
    f.sql("sc AS (\n  SELECT ").sql(inGroup).sql(groupCols).sql("k, sum(c)::BIGINT AS users\n");
    f.sql("  FROM lv, range(").num(c.n).sql(") AS r(k)\n  WHERE lvl > k\n  ").sql(groupBy);
    f.sql("\n),\n");
    f.sql("ps AS (\n  SELECT ").sql(groupCols);
    f.sql("k, (tt[k + 1] - tt[k]) / 1000.0::DOUBLE AS dt\n");
    f.sql("  FROM (SELECT *, unnest(range(1, lvl)) AS k FROM pt)\n),\n");
    f.sql("qs AS (\n  SELECT ").sql(inGroup).sql(groupCols);
    f.sql(
        "k, quantile_cont(dt, 0.5) AS median_s, quantile_cont(dt, 0.9) AS p90_s, avg(dt) AS mean_s,\n    [");
    List<Double> bounds = FunnelPlan.HISTOGRAM_BOUNDS;
    for (int i = 0; i < bounds.size(); i++) {
      f.sql(i == 0 ? "" : ", ").sql("count(*) FILTER (WHERE dt >= ").sql(number(bounds.get(i)));
      if (i + 1 < bounds.size()) {
        f.sql(" AND dt < ").sql(number(bounds.get(i + 1)));
      }
      f.sql(")");
    }
    f.sql("] AS hist\n  FROM ps\n  ").sql(groupBy).sql("\n)\n");
    f.sql("SELECT ");
    if (c.breakdown) {
      f.sql("sc.in_group, sc.bval, sc.bother, ");
    } else {
      f.sql("false AS in_group, NULL::VARCHAR AS bval, false AS bother, ");
    }
    f.sql("sc.k, sc.users, qs.median_s, qs.p90_s, qs.mean_s,\n  coalesce(qs.hist, [");
    for (int i = 0; i < bounds.size(); i++) {
      f.sql(i == 0 ? "0" : ", 0");
    }
    f.sql("]::BIGINT[]) AS hist,\n  ");
    if (c.alternatives) {
      f.sql("al.alts AS ").sql(FunnelPlan.ALTERNATIVES_COLUMN).sql(",\n  ");
    }
    f.sql(nativeStatus ? "nst.gave_up" : "false").sql(" AS ").sql(FunnelPlan.GAVE_UP_COLUMN);
    if (c.units) {
      f.sql(", na.unassigned AS ").sql(FunnelPlan.UNASSIGNED_COLUMN);
    }
    // One-row statuses (the native aggregate's, the events without a unit) come on every row, and
    // on a row of their own when there is no other.
    String status = nativeStatus ? (c.units ? "nst CROSS JOIN na" : "nst") : c.units ? "na" : null;
    f.sql("\nFROM ");
    f.sql(status == null ? "" : status + " LEFT JOIN (").sql("sc LEFT JOIN qs ON qs.k = sc.k");
    if (c.breakdown) {
      f.sql(" AND qs.in_group = sc.in_group AND qs.bval IS NOT DISTINCT FROM sc.bval");
      f.sql(" AND qs.bother IS NOT DISTINCT FROM sc.bother");
    }
    f.sql(status == null ? "" : ") ON true");
    if (c.alternatives) {
      f.sql("\nLEFT JOIN al ON al.k = sc.k").sql(c.breakdown ? " AND NOT sc.in_group" : "");
    }
    if (c.breakdown) {
      f.sql("\nORDER BY sc.in_group, sc.bother, sc.bval NULLS LAST, sc.k");
    } else {
      f.sql("\nORDER BY sc.k");
    }
    return f;
  }

  private SqlFragment trendTail(Context c) {
    TrendInterval interval = c.q.trendInterval().orElseThrow();
    SqlFragment f =
        new SqlFragment().sql("SELECT date_trunc(").bind(interval.name().toLowerCase(Locale.ROOT));
    f.sql(", epoch_ms(s)) AS period, count(DISTINCT u) AS entered,\n");
    f.sql("  count(DISTINCT u) FILTER (WHERE b = ").num(c.n - 1).sql(") AS completed\n");
    f.sql("FROM att\nWHERE NOT hit\nGROUP BY period\nORDER BY period");
    return f;
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A JSON pointer to a top-level key of metadata ({@code ~} and {@code /} escaped): how every plan
   * (and the trace's reader) names a property to {@code json_extract_string}.
   */
  public static String pointer(String property) {
    return "/" + property.replace("~", "~0").replace("/", "~1");
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
