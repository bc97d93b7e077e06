package io.tracetics.engine.query;

import io.tracetics.engine.query.rules.BreakdownLimitRule;
import io.tracetics.engine.query.rules.DateRangeRule;
import io.tracetics.engine.query.rules.EmptyEventNameRule;
import io.tracetics.engine.query.rules.ExclusionRangeRule;
import io.tracetics.engine.query.rules.FilterValueRule;
import io.tracetics.engine.query.rules.FilterVariantsRule;
import io.tracetics.engine.query.rules.HoldConstantLimitRule;
import io.tracetics.engine.query.rules.PropertyNameRule;
import io.tracetics.engine.query.rules.StepAlternativesRule;
import io.tracetics.engine.query.rules.StepCountRule;
import io.tracetics.engine.query.rules.StepTimeLimitRule;
import io.tracetics.engine.query.rules.UnorderedExclusionRule;
import io.tracetics.engine.query.rules.WindowRule;
import java.util.ArrayList;
import java.util.List;

/** Runs every {@link ValidationRule} and returns all violations (empty = valid). */
public final class FunnelValidator {

  private final List<ValidationRule> rules;

  public FunnelValidator() {
    this(
        List.of(
            new StepCountRule(),
            new WindowRule(),
            new EmptyEventNameRule(),
            new PropertyNameRule(),
            new FilterValueRule(),
            new FilterVariantsRule(),
            new ExclusionRangeRule(),
            new UnorderedExclusionRule(),
            new DateRangeRule(),
            new BreakdownLimitRule(),
            new HoldConstantLimitRule(),
            new StepAlternativesRule(),
            new StepTimeLimitRule()));
  }

  public FunnelValidator(List<ValidationRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public List<Violation> validate(FunnelQuery query) {
    List<Violation> all = new ArrayList<>();
    for (ValidationRule rule : rules) {
      all.addAll(rule.check(query));
    }
    return all;
  }

  /** Validates and throws {@link InvalidFunnelException} listing every violation. */
  public FunnelQuery requireValid(FunnelQuery query) {
    List<Violation> violations = validate(query);
    if (!violations.isEmpty()) {
      throw new InvalidFunnelException(violations);
    }
    return query;
  }
}
