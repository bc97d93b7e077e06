package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A step's time limit ({@code within_seconds}) bounds the time since the previous step: the first
 * step has no previous step, an unordered funnel has no order of steps, and a limit longer than the
 * conversion window could never matter. It is at least one second.
 */
public final class StepTimeLimitRule implements ValidationRule {
  @Override
  public String code() {
    return "invalid_within";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    List<Violation> out = new ArrayList<>();
    for (int i = 0; i < q.steps().size(); i++) {
      if (q.steps().get(i).within().isEmpty()) {
        continue;
      }
      Duration within = q.steps().get(i).within().get();
      String field = "steps[" + i + "].within_seconds";
      if (i == 0) {
        out.add(
            new Violation(
                "within_on_first_step",
                field,
                "the first step has no previous step to be within a time of"));
      } else if (q.order() == OrderMode.UNORDERED) {
        out.add(
            new Violation(
                "within_needs_order",
                field,
                "per-step time limits need an order of steps: use ordered or strict"));
      } else if (within.compareTo(Duration.ofSeconds(1)) < 0) {
        out.add(new Violation(code(), field, "a step's time limit is at least 1 second"));
      } else if (within.compareTo(q.window()) > 0) {
        out.add(
            new Violation(
                "within_exceeds_window",
                field,
                "a step's time limit must not be longer than the conversion window ("
                    + q.window().toSeconds()
                    + " seconds)"));
      }
    }
    return out;
  }
}
