package io.tracetics.engine.trace;

import java.util.Locale;

/** Why a candidate event did not take the funnel's next step: stable snake_case codes. */
public enum ReasonCode {
  /** Later than the attempt's window (start + window, inclusive) allows. */
  OUTSIDE_WINDOW,
  /** It would have taken the step in an attempt that an exclusion discarded. */
  EXCLUDED_BY,
  /** One of the step's filters does not hold for it (the first failing filter is named). */
  FILTER_MISMATCH,
  /** Strict mode: another event of the person lies strictly between the chain's step and it. */
  STRICT_BREAK,
  /** Its hold-constant property differs from the chain's. */
  HOLD_CONSTANT_MISMATCH,
  /** A first-step event outside the report's entry range [from, to). */
  OUTSIDE_DATE_RANGE,
  /**
   * Inside the window, but later than the step's time limit ({@code within}) after the chain's last
   * step allows.
   */
  STEP_TIME_LIMIT,
  /** Ordered and strict: earlier than the step the chain reached last. */
  BEFORE_PREVIOUS_STEP,
  /** Unordered: earlier than the attempt's start. */
  BEFORE_ENTRY,
  /** The chain already uses the event for another step (one event fills at most one step). */
  USED_BY_CHAIN;

  /** The API spelling, e.g. {@code outside_window}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
