package io.tracetics.engine.exec;

import io.tracetics.engine.store.Watermark;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A computed funnel.
 *
 * @param steps per step, cumulative users and conversion
 * @param breakdowns per breakdown value (top N, then "other"); empty without a breakdown
 * @param trends per entry period; empty without a trend interval
 * @param computedAt when the computation ran
 * @param dataThrough the app's events the result includes (same snapshot as the computation)
 * @param countBy for a funnel that counts units instead of persons: its property and the step
 *     events left out for lack of it; the users of steps, groups and trends are then units
 */
public record FunnelResult(
    List<StepResult> steps,
    List<BreakdownGroup> breakdowns,
    List<TrendPoint> trends,
    Instant computedAt,
    Watermark dataThrough,
    Optional<CountBy> countBy) {

  public FunnelResult {
    steps = List.copyOf(steps);
    breakdowns = List.copyOf(breakdowns);
    trends = List.copyOf(trends);
    Objects.requireNonNull(countBy, "countBy");
  }

  /** Users per step, for quick checks. */
  public long[] users() {
    return steps.stream().mapToLong(StepResult::users).toArray();
  }
}
