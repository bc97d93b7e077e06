package io.tracetics.engine.trace;

import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.PropertySource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The engine's filter semantics (engine-sql/README.md "Filters") over one event's property texts
 * and its person's traits.
 */
final class TraceFilters {
  /**
   * What DuckDB's {@code TRY_CAST(... AS DOUBLE)} reads as a number (Java alone also reads "5d").
   */
  private static final Pattern NUMBER =
      Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*");

  private TraceFilters() {}

  /** The value a filter reads: the event's property or the person's trait; null when not set. */
  static String value(PropertyFilter f, TraceEvent e, Map<String, String> traits) {
    return f.source() == PropertySource.USER ? traits.get(f.property()) : e.property(f.property());
  }

  /** The first of {@code filters} that does not hold for {@code e}, or null when all hold. */
  static PropertyFilter firstFailing(
      List<PropertyFilter> filters, TraceEvent e, Map<String, String> traits) {
    for (PropertyFilter f : filters) {
      if (!holds(f, value(f, e, traits))) {
        return f;
      }
    }
    return null;
  }

  static boolean holds(PropertyFilter f, String v) {
    return switch (f.op()) {
      case EQ -> v != null && v.equals(f.value());
      case NEQ -> v == null || !v.equals(f.value());
      case IN -> v != null && f.values().contains(v);
      case CONTAINS ->
          v != null && v.toLowerCase(Locale.ROOT).contains(f.value().toLowerCase(Locale.ROOT));
      case GT -> number(v) != null && number(v) > f.numericValue();
      case GTE -> number(v) != null && number(v) >= f.numericValue();
      case LT -> number(v) != null && number(v) < f.numericValue();
      case LTE -> number(v) != null && number(v) <= f.numericValue();
      case IS_SET -> v != null;
      case IS_NOT_SET -> v == null;
    };
  }

  private static Double number(String v) {
    if (v == null || !NUMBER.matcher(v).matches()) {
      return null;
    }
    return Double.parseDouble(v.strip());
  }
}
