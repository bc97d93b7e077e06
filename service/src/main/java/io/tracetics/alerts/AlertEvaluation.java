package io.tracetics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Judges an alert's condition on a report, pure: the report JSON in (a saved funnel's default
 * report, and for {@code drop_pct} the report of the previous period of the same length), the
 * outcome out. A condition is not judged (not evaluable) while fewer than {@code min_entered}
 * entered the funnel, when the metric has no value (a median with nobody converting), when the
 * funnel no longer has the step, or, for {@code drop_pct}, when the previous period had too few
 * entrants or a value of 0 to drop from.
 */
public final class AlertEvaluation {
  private AlertEvaluation() {}

  /** Whether the condition holds. */
  public enum Outcome {
    TRUE,
    FALSE,
    NOT_EVALUABLE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * An evaluation: the outcome, the metric's value now (null when the report has none), the
   * entrants, and for {@code drop_pct} the previous period's value and the drop in percent.
   */
  public record Result(
      Outcome outcome, Double value, long entered, Double previousValue, Double dropPct) {}

  /**
   * @param report the funnel's report
   * @param previous the previous period's report, for {@code drop_pct} (null otherwise, or when the
   *     funnel has no range)
   */
  public static Result evaluate(AlertDefinition alert, JsonNode report, JsonNode previous) {
    JsonNode steps = report.path("steps");
    if (steps.size() <= alert.step()) {
      return new Result(Outcome.NOT_EVALUABLE, null, entered(steps), null, null);
    }
    long entered = entered(steps);
    Double value = metric(alert.metric(), steps.get(alert.step()));
    if (entered < alert.minEntered() || value == null) {
      return new Result(Outcome.NOT_EVALUABLE, value, entered, null, null);
    }
    double threshold = alert.condition().threshold();
    return switch (alert.condition().kind()) {
      case BELOW -> judged(value < threshold, value, entered);
      case ABOVE -> judged(value > threshold, value, entered);
      case DROP_PCT -> drop(alert, value, entered, previous);
    };
  }

  private static Result drop(AlertDefinition alert, double value, long entered, JsonNode previous) {
    if (previous == null) {
      return new Result(Outcome.NOT_EVALUABLE, value, entered, null, null);
    }
    JsonNode steps = previous.path("steps");
    if (steps.size() <= alert.step() || entered(steps) < alert.minEntered()) {
      return new Result(Outcome.NOT_EVALUABLE, value, entered, null, null);
    }
    Double before = metric(alert.metric(), steps.get(alert.step()));
    if (before == null || before <= 0) {
      return new Result(Outcome.NOT_EVALUABLE, value, entered, before, null);
    }
    double dropPct = (before - value) / before * 100;
    Outcome outcome = dropPct >= alert.condition().threshold() ? Outcome.TRUE : Outcome.FALSE;
    return new Result(outcome, value, entered, before, dropPct);
  }

  private static Result judged(boolean holds, double value, long entered) {
    return new Result(holds ? Outcome.TRUE : Outcome.FALSE, value, entered, null, null);
  }

  private static long entered(JsonNode steps) {
    return steps.size() == 0 ? 0 : steps.get(0).path("users").asLong();
  }

  private static Double metric(AlertDefinition.Metric metric, JsonNode step) {
    JsonNode node =
        switch (metric) {
          case CONVERSION_FROM_FIRST -> step.path("conversion_from_first");
          case CONVERSION_FROM_PREVIOUS -> step.path("conversion_from_previous");
          case MEDIAN_SECONDS -> step.path("time_to_convert").path("median_seconds");
        };
    return node.isNumber() ? node.asDouble() : null;
  }
}
