package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Property names (filters, breakdown, hold-constant, count_by) are 1 to 128 characters without
 * control characters. They are always passed to SQL as bound values, never as identifiers.
 */
public final class PropertyNameRule implements ValidationRule {
  static final int MAX_LENGTH = 128;

  @Override
  public String code() {
    return "bad_property_name";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    List<Violation> out = new ArrayList<>();
    Rules.forEachFilterList(
        q,
        (field, filters) -> {
          for (int i = 0; i < filters.size(); i++) {
            checkName(filters.get(i).property(), field + ".filters[" + i + "].property", out);
          }
        });
    q.breakdown().ifPresent(b -> checkName(b.property(), "breakdown", out));
    q.countBy().ifPresent(p -> checkName(p, "count_by.property", out));
    for (int i = 0; i < q.holdConstant().size(); i++) {
      checkName(q.holdConstant().get(i), "hold_constant[" + i + "]", out);
    }
    return out;
  }

  private void checkName(String name, String field, List<Violation> out) {
    if (name == null || name.isEmpty()) {
      out.add(new Violation(code(), field, "the property name must not be empty"));
    } else if (name.length() > MAX_LENGTH) {
      out.add(
          new Violation(
              code(), field, "the property name is longer than " + MAX_LENGTH + " characters"));
    } else if (name.chars().anyMatch(Character::isISOControl)) {
      out.add(new Violation(code(), field, "the property name contains control characters"));
    }
  }
}
