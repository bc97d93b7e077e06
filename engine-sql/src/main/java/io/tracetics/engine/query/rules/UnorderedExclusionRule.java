package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.List;

/** Exclusions need an order of steps, so an unordered funnel cannot have them (as in PostHog). */
public final class UnorderedExclusionRule implements ValidationRule {
  @Override
  public String code() {
    return "exclusions_need_order";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    if (q.order() == OrderMode.UNORDERED && !q.exclusions().isEmpty()) {
      return List.of(
          new Violation(code(), "exclusions", "exclusions are not supported in unordered funnels"));
    }
    return List.of();
  }
}
