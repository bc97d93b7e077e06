package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Each filter carries the values its op needs: none for is_set/is_not_set, one for eq, neq,
 * contains and the numeric comparisons (a finite number for those), 1 to {@value #MAX_IN_VALUES}
 * for in. Values are not null.
 */
public final class FilterValueRule implements ValidationRule {
  static final int MAX_IN_VALUES = 100;

  @Override
  public String code() {
    return "filter_value_mismatch";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    List<Violation> out = new ArrayList<>();
    Rules.forEachFilterList(
        q,
        (field, filters) -> {
          for (int i = 0; i < filters.size(); i++) {
            check(filters.get(i), field + ".filters[" + i + "]", out);
          }
        });
    return out;
  }

  private void check(PropertyFilter f, String field, List<Violation> out) {
    String op = f.op().wireName();
    int n = f.values().size();
    if (f.values().stream().anyMatch(v -> v == null)) {
      out.add(new Violation(code(), field + ".value", "filter values must not be null"));
      return;
    }
    switch (f.op().arity()) {
      case NONE -> {
        if (n != 0) {
          out.add(new Violation(code(), field + ".value", "op " + op + " takes no value"));
        }
      }
      case ONE -> {
        if (n != 1) {
          out.add(new Violation(code(), field + ".value", "op " + op + " takes exactly one value"));
        } else if (f.op().numeric() && !isFiniteNumber(f.value())) {
          out.add(
              new Violation(
                  code(),
                  field + ".value",
                  "op " + op + " needs a number, got '" + f.value() + "'"));
        }
      }
      case MANY -> {
        if (n < 1 || n > MAX_IN_VALUES) {
          out.add(
              new Violation(
                  code(),
                  field + ".values",
                  "op in takes 1 to " + MAX_IN_VALUES + " values, got " + n));
        }
      }
    }
  }

  private static boolean isFiniteNumber(String s) {
    try {
      return Double.isFinite(Double.parseDouble(s.strip()));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
