package io.tracetics.alerts;

import java.util.Locale;
import java.util.Optional;

/**
 * What an alert watches: a metric of one step of a saved funnel's report, a condition on it, the
 * entrants needed before it is judged at all, and where to send the webhooks.
 */
public record AlertDefinition(
    String name,
    long funnelId,
    int step,
    Metric metric,
    Condition condition,
    long minEntered,
    String webhookUrl) {

  /** A step's metric as the report names it. */
  public enum Metric {
    CONVERSION_FROM_FIRST,
    CONVERSION_FROM_PREVIOUS,
    MEDIAN_SECONDS;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** A share between 0 and 1 (the others are durations in seconds). */
    public boolean isRate() {
      return this != MEDIAN_SECONDS;
    }

    /**
     * Whether the first step's value says anything: both conversions are 1 there by definition and
     * it has no time to convert, so none of these metrics may watch step 0.
     */
    public boolean meaningfulAtFirstStep() {
      return false;
    }

    public static Optional<Metric> fromWire(String text) {
      for (Metric m : values()) {
        if (m.wireName().equals(text)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  /** {@code below} / {@code above}: the value against the threshold (strictly). */
  public enum ConditionKind {
    BELOW,
    ABOVE,
    /** The value's relative drop, in percent, against the previous period of the same length. */
    DROP_PCT;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ConditionKind> fromWire(String text) {
      for (ConditionKind k : values()) {
        if (k.wireName().equals(text)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  public record Condition(ConditionKind kind, double threshold) {}
}
