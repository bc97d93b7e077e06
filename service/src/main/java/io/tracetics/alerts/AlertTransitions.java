package io.tracetics.alerts;

import java.util.Locale;
import java.util.Optional;

/**
 * An alert's state machine, pure: {@code ok} until its condition holds ({@code fired}), {@code
 * firing} until it stops holding ({@code resolved}). An evaluation that cannot judge the condition
 * changes nothing, so a quiet hour neither fires nor resolves.
 */
public final class AlertTransitions {
  private AlertTransitions() {}

  public enum State {
    OK,
    FIRING;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static State fromWire(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  /** What a transition sends. */
  public enum Event {
    FIRED,
    RESOLVED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The state the transition leads to. */
    public State to() {
      return this == FIRED ? State.FIRING : State.OK;
    }
  }

  /** The transition an evaluation makes from {@code state}, if any. */
  public static Optional<Event> next(State state, AlertEvaluation.Outcome outcome) {
    if (state == State.OK && outcome == AlertEvaluation.Outcome.TRUE) {
      return Optional.of(Event.FIRED);
    }
    if (state == State.FIRING && outcome == AlertEvaluation.Outcome.FALSE) {
      return Optional.of(Event.RESOLVED);
    }
    return Optional.empty();
  }
}
