package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.List;

/** A funnel has 2 to {@value FunnelQuery#MAX_STEPS} steps. */
public final class StepCountRule implements ValidationRule {
  @Override
  public String code() {
    return "step_count_out_of_range";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    int n = q.steps().size();
    if (n < 2) {
      return List.of(new Violation(code(), "steps", "a funnel needs at least 2 steps, got " + n));
    }
    if (n > FunnelQuery.MAX_STEPS) {
      return List.of(
          new Violation(
              code(),
              "steps",
              "a funnel has at most " + FunnelQuery.MAX_STEPS + " steps, got " + n));
    }
    return List.of();
  }
}
