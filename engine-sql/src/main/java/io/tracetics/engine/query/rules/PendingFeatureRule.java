package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.ArrayList;
import java.util.List;

/** Refuses the definition fields the plans do not compute yet, rather than ignoring them. */
public final class PendingFeatureRule implements ValidationRule {
  @Override
  public String code() {
    return "not_supported";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    List<Violation> out = new ArrayList<>();
    if (q.countBy().isPresent()) {
      out.add(new Violation(code(), "count_by", "count_by is not supported yet"));
    }
    return out;
  }
}
