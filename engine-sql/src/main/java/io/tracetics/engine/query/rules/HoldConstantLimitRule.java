package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.List;

/** At most {@value #MAX_PROPERTIES} properties can be held constant, each listed once. */
public final class HoldConstantLimitRule implements ValidationRule {
  public static final int MAX_PROPERTIES = 3;

  @Override
  public String code() {
    return "hold_constant_invalid";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    if (q.holdConstant().size() > MAX_PROPERTIES) {
      return List.of(
          new Violation(
              code(),
              "hold_constant",
              "at most " + MAX_PROPERTIES + " properties can be held constant"));
    }
    if (q.holdConstant().stream().distinct().count() != q.holdConstant().size()) {
      return List.of(new Violation(code(), "hold_constant", "a property is listed twice"));
    }
    return List.of();
  }
}
