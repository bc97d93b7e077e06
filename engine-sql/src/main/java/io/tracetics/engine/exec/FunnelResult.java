package io.tracetics.engine.exec;

import io.tracetics.engine.store.Watermark;
import java.time.Instant;
import java.util.List;

/**
 * A computed funnel.
 *
 * @param steps per step, cumulative users and conversion
 * @param breakdowns per breakdown value (top N, then "other"); empty without a breakdown
 * @param trends per entry period; empty without a trend interval
 * @param computedAt when the computation ran
 * @param dataThrough the app's events the result includes (same snapshot as the computation)
 */
public record FunnelResult(
    List<StepResult> steps,
    List<BreakdownGroup> breakdowns,
    List<TrendPoint> trends,
    Instant computedAt,
    Watermark dataThrough) {

  public FunnelResult {
    steps = List.copyOf(steps);
    breakdowns = List.copyOf(breakdowns);
    trends = List.copyOf(trends);
  }

  /** Users per step, for quick checks. */
  public long[] users() {
    return steps.stream().mapToLong(StepResult::users).toArray();
  }
}
