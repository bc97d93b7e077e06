package io.tracetics.engine.query;

import java.util.List;
import java.util.Objects;

/**
 * A condition on one key of an event's {@code metadata} or, with {@link PropertySource#USER}, of
 * its person's traits.
 *
 * <p>Values compare as the property's JSON text (a string's content; a number or boolean as
 * written, e.g. {@code 5}, {@code true}). {@code neq} also matches events without the property;
 * {@code contains} is case-insensitive; numeric ops match only values that parse as numbers; a JSON
 * {@code null} counts as not set.
 */
public record PropertyFilter(
    String property, FilterOp op, List<String> values, PropertySource source) {

  public PropertyFilter {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(op, "op");
    values = values == null ? List.of() : List.copyOf(values);
    source = source == null ? PropertySource.EVENT : source;
  }

  /** A condition on the event's metadata. */
  public PropertyFilter(String property, FilterOp op, List<String> values) {
    this(property, op, values, PropertySource.EVENT);
  }

  /** The same condition on the person's traits. */
  public PropertyFilter onUser() {
    return new PropertyFilter(property, op, values, PropertySource.USER);
  }

  public static PropertyFilter eq(String property, String value) {
    return new PropertyFilter(property, FilterOp.EQ, List.of(value));
  }

  public static PropertyFilter neq(String property, String value) {
    return new PropertyFilter(property, FilterOp.NEQ, List.of(value));
  }

  public static PropertyFilter in(String property, String... values) {
    return new PropertyFilter(property, FilterOp.IN, List.of(values));
  }

  public static PropertyFilter contains(String property, String value) {
    return new PropertyFilter(property, FilterOp.CONTAINS, List.of(value));
  }

  public static PropertyFilter compare(String property, FilterOp op, double value) {
    return new PropertyFilter(property, op, List.of(numberText(value)));
  }

  public static PropertyFilter isSet(String property) {
    return new PropertyFilter(property, FilterOp.IS_SET, List.of());
  }

  public static PropertyFilter isNotSet(String property) {
    return new PropertyFilter(property, FilterOp.IS_NOT_SET, List.of());
  }

  /** The single value of a one-value op. */
  public String value() {
    return values.get(0);
  }

  /** The value of a numeric op as a double (validated beforehand). */
  public double numericValue() {
    return Double.parseDouble(values.get(0));
  }

  private static String numberText(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
