package io.tracetics.engine.trace;

import io.tracetics.engine.query.PropertyFilter;
import java.time.Instant;
import java.util.Optional;

/** Why one candidate event did not take the next step, with the facts that show it. */
public sealed interface TraceReason {
  ReasonCode code();

  /**
   * Later than the window of the chain's attempt.
   *
   * @param windowEndMillis the attempt's start plus the window (the last instant that counts)
   * @param excessMillis how much later than that the event is
   */
  record OutsideWindow(long windowEndMillis, long excessMillis) implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.OUTSIDE_WINDOW;
    }
  }

  /**
   * Inside the window, but later than the next step's time limit allows after the chain's last
   * step.
   *
   * @param limitMillis the step's time limit ({@code within})
   * @param limitEndMillis the chain's last step plus the limit (the last instant that counts)
   * @param excessMillis how much later than that the event is
   */
  record StepTimeLimit(long limitMillis, long limitEndMillis, long excessMillis)
      implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.STEP_TIME_LIMIT;
    }
  }

  /**
   * The event took the step in {@code attempt}, which exclusion {@code exclusion} discarded because
   * of {@code excluding}.
   *
   * @param exclusion the exclusion's index in the funnel's exclusions
   */
  record ExcludedBy(int exclusion, TraceEvent excluding, TraceAttempt attempt)
      implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.EXCLUDED_BY;
    }
  }

  /**
   * {@code filter} does not hold: {@code actual} is the value it read (the event's metadata, or the
   * person's trait for a filter with source user), null when not set.
   */
  record FilterMismatch(PropertyFilter filter, String actual) implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.FILTER_MISMATCH;
    }
  }

  /**
   * Strict mode: {@code breaking} lies strictly between the chain's last step and the event and is
   * not a repeat of that step (the earliest such event).
   */
  record StrictBreak(TraceEvent breaking) implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.STRICT_BREAK;
    }
  }

  /**
   * The event's value of hold-constant {@code property} ({@code actual}) differs from the chain's
   * ({@code expected}); null values mean "not set".
   */
  record HoldConstantMismatch(String property, String expected, String actual)
      implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.HOLD_CONSTANT_MISMATCH;
    }
  }

  /** A first-step event before {@code from} or at or after {@code to}. */
  record OutsideDateRange(Optional<Instant> from, Optional<Instant> to) implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.OUTSIDE_DATE_RANGE;
    }
  }

  /** Earlier than the chain's last step, at {@code previousStepMillis}. */
  record BeforePreviousStep(long previousStepMillis) implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.BEFORE_PREVIOUS_STEP;
    }
  }

  /** Unordered: earlier than the attempt's start, {@code entryMillis}. */
  record BeforeEntry(long entryMillis) implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.BEFORE_ENTRY;
    }
  }

  /** The chain uses the event for its step {@code step}. */
  record UsedByChain(int step) implements TraceReason {
    @Override
    public ReasonCode code() {
      return ReasonCode.USED_BY_CHAIN;
    }
  }
}
