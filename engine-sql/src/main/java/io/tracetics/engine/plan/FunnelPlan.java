package io.tracetics.engine.plan;

import io.tracetics.engine.query.FunnelQuery;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled funnel: SQL texts with their bound values, ready for {@code FunnelExecutor}.
 *
 * @param query the validated query this plan computes
 * @param stepsSql one row per (breakdown group, step) with users and time-to-convert statistics,
 *     and {@link #GAVE_UP_COLUMN}
 * @param stepsParams values for {@code stepsSql}'s markers, in order
 * @param trendSql one row per entry period, when the query asks for a trend
 * @param trendParams values for {@code trendSql}
 * @param fallback for a plan that uses the native aggregate: the same query on SQL plans only,
 *     which the executor runs when the aggregate gives up ({@link #GAVE_UP_COLUMN})
 */
public record FunnelPlan(
    FunnelQuery query,
    String stepsSql,
    List<Object> stepsParams,
    Optional<String> trendSql,
    List<Object> trendParams,
    Optional<FunnelPlan> fallback) {

  /**
   * The steps statement's boolean column that says whether the native aggregate gave up (a block of
   * users could not get the memory it needs: the cap of StoreConfig nativeFunnelMemory, or the
   * system refusing). When it is true on any row, the counts are incomplete and the executor runs
   * the fallback instead. SQL plans always answer false. A row whose step {@code k} is NULL carries
   * only this column.
   */
  public static final String GAVE_UP_COLUMN = "native_gave_up";

  /**
   * The steps statement's column with a step's users per alternative (a list in the step's order;
   * NULL for a step with one), present only when the report counts them (a step has several
   * alternatives and the funnel has an order).
   */
  public static final String ALTERNATIVES_COLUMN = "alts";

  /**
   * The steps statement's BIGINT column, in the plan of a funnel that counts units ({@link
   * FunnelQuery#countBy}) only: how many of the funnel's step events have no unit and are left out
   * (engine-sql/README.md "Counting units"). The same on every row, including a row without a step.
   */
  public static final String UNASSIGNED_COLUMN = "unassigned_events";

  /**
   * Bucket lower bounds of the time-to-convert histogram, in seconds; the last bucket is open.
   * Buckets: [0,1) [1,10) [10,60) [60,300) [300,900) [900,3600) [3600,21600) [21600,86400)
   * [86400,604800) [604800,inf).
   */
  public static final List<Double> HISTOGRAM_BOUNDS =
      List.of(0.0, 1.0, 10.0, 60.0, 300.0, 900.0, 3600.0, 21600.0, 86400.0, 604800.0);

  public FunnelPlan {
    stepsParams = List.copyOf(stepsParams);
    trendParams = List.copyOf(trendParams);
    Objects.requireNonNull(fallback, "fallback");
  }
}
