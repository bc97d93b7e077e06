package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.List;

/** When both ends of the entry range are given, from is before to. */
public final class DateRangeRule implements ValidationRule {
  @Override
  public String code() {
    return "date_range_invalid";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    if (q.from().isPresent() && q.to().isPresent() && !q.from().get().isBefore(q.to().get())) {
      return List.of(new Violation(code(), "from", "from must be before to"));
    }
    return List.of();
  }
}
