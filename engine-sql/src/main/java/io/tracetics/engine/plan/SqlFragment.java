package io.tracetics.engine.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL text being assembled together with its bound values, in the order of their {@code ?} markers.
 * Text only ever comes from the planner's own constants; every value goes through {@link
 * #bind(Object)}.
 */
final class SqlFragment {
  private final StringBuilder text = new StringBuilder();
  private final List<Object> params = new ArrayList<>();

  SqlFragment sql(String constantSql) {
    text.append(constantSql);
    return this;
  }

  /** Appends a number the planner computed itself (a step index, a count), never user text. */
  SqlFragment num(long value) {
    text.append(value);
    return this;
  }

  SqlFragment bind(Object value) {
    text.append('?');
    params.add(value);
    return this;
  }

  SqlFragment append(SqlFragment other) {
    text.append(other.text);
    params.addAll(other.params);
    return this;
  }

  String text() {
    return text.toString();
  }

  List<Object> params() {
    return params;
  }
}
