package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A step has at most {@value #MAX_ALTERNATIVES} alternatives, none repeated, and a step name of at
 * most 200 characters when it has one.
 */
public final class StepAlternativesRule implements ValidationRule {
  public static final int MAX_ALTERNATIVES = 10;

  @Override
  public String code() {
    return "invalid_any_of";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    List<Violation> out = new ArrayList<>();
    for (int i = 0; i < q.steps().size(); i++) {
      FunnelStep step = q.steps().get(i);
      if (step.anyOf().size() > MAX_ALTERNATIVES) {
        out.add(
            new Violation(
                code(),
                "steps[" + i + "].any_of",
                "a step has at most " + MAX_ALTERNATIVES + " alternatives"));
      }
      Set<Object> seen = new HashSet<>();
      for (int j = 0; j < step.anyOf().size(); j++) {
        if (!seen.add(step.anyOf().get(j).key())) {
          out.add(
              new Violation(
                  code(),
                  "steps[" + i + "].any_of[" + j + "]",
                  "this alternative repeats an earlier one of the same step"));
        }
      }
      if (step.name().isPresent()
          && (step.name().get().isBlank()
              || step.name().get().length() > EmptyEventNameRule.MAX_LENGTH)) {
        out.add(
            new Violation(
                "bad_step_name",
                "steps[" + i + "].name",
                "a step name is 1 to " + EmptyEventNameRule.MAX_LENGTH + " characters"));
      }
    }
    return out;
  }
}
