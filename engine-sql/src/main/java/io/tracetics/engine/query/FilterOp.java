package io.tracetics.engine.query;

import java.util.Locale;

/** Comparison of a metadata property against the filter's value(s). */
public enum FilterOp {
  EQ(Arity.ONE, false),
  NEQ(Arity.ONE, false),
  IN(Arity.MANY, false),
  CONTAINS(Arity.ONE, false),
  GT(Arity.ONE, true),
  GTE(Arity.ONE, true),
  LT(Arity.ONE, true),
  LTE(Arity.ONE, true),
  IS_SET(Arity.NONE, false),
  IS_NOT_SET(Arity.NONE, false);

  /** How many values an operator takes. */
  public enum Arity {
    NONE,
    ONE,
    MANY
  }

  private final Arity arity;
  private final boolean numeric;

  FilterOp(Arity arity, boolean numeric) {
    this.arity = arity;
    this.numeric = numeric;
  }

  public Arity arity() {
    return arity;
  }

  public boolean numeric() {
    return numeric;
  }

  /** The API spelling, e.g. {@code is_set}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FilterOp fromWireName(String name) {
    for (FilterOp op : values()) {
      if (op.wireName().equals(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown filter op: " + name);
  }
}
