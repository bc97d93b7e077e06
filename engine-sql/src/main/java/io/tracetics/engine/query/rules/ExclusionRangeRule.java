package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.ArrayList;
import java.util.List;

/** An exclusion's steps satisfy 0 <= from_step < to_step <= last step, and at most 10 exist. */
public final class ExclusionRangeRule implements ValidationRule {
  public static final int MAX_EXCLUSIONS = 10;

  @Override
  public String code() {
    return "exclusion_range_invalid";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    List<Violation> out = new ArrayList<>();
    int last = q.steps().size() - 1;
    if (q.exclusions().size() > MAX_EXCLUSIONS) {
      out.add(
          new Violation(
              code(), "exclusions", "at most " + MAX_EXCLUSIONS + " exclusions are allowed"));
    }
    for (int i = 0; i < q.exclusions().size(); i++) {
      Exclusion e = q.exclusions().get(i);
      String field = "exclusions[" + i + "]";
      if (e.fromStep() < 0 || e.toStep() > last || e.fromStep() >= e.toStep()) {
        out.add(
            new Violation(
                code(),
                field,
                "from_step and to_step must satisfy 0 <= from_step < to_step <= "
                    + last
                    + ", got "
                    + e.fromStep()
                    + " and "
                    + e.toStep()));
      }
    }
    return out;
  }
}
