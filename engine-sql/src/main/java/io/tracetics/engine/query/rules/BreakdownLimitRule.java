package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.List;

/** A breakdown keeps 1 to {@value Breakdown#MAX_LIMIT} top values. */
public final class BreakdownLimitRule implements ValidationRule {
  @Override
  public String code() {
    return "breakdown_limit_out_of_range";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    return q.breakdown()
        .filter(b -> b.limit() < 1 || b.limit() > Breakdown.MAX_LIMIT)
        .map(
            b ->
                List.of(
                    new Violation(
                        code(),
                        "breakdown_limit",
                        "the breakdown limit must be between 1 and " + Breakdown.MAX_LIMIT)))
        .orElse(List.of());
  }
}
