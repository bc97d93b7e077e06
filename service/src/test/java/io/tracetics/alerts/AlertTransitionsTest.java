package io.tracetics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracetics.alerts.AlertEvaluation.Outcome;
import io.tracetics.alerts.AlertTransitions.Event;
import io.tracetics.alerts.AlertTransitions.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertTransitionsTest {

  @Test
  void firesOnceAndResolvesOnce() {
    assertEquals(Optional.of(Event.FIRED), AlertTransitions.next(State.OK, Outcome.TRUE));
    assertEquals(Optional.empty(), AlertTransitions.next(State.FIRING, Outcome.TRUE));
    assertEquals(Optional.of(Event.RESOLVED), AlertTransitions.next(State.FIRING, Outcome.FALSE));
    assertEquals(Optional.empty(), AlertTransitions.next(State.OK, Outcome.FALSE));
  }

  @Test
  void anEvaluationThatCannotJudgeChangesNothing() {
    assertEquals(Optional.empty(), AlertTransitions.next(State.OK, Outcome.NOT_EVALUABLE));
    assertEquals(Optional.empty(), AlertTransitions.next(State.FIRING, Outcome.NOT_EVALUABLE));
  }

  @Test
  void aSequenceOfEvaluationsGivesAlternatingEvents() {
    State state = State.OK;
    List<Event> events = new ArrayList<>();
    for (Outcome outcome :
        List.of(
            Outcome.NOT_EVALUABLE,
            Outcome.FALSE,
            Outcome.TRUE,
            Outcome.TRUE,
            Outcome.NOT_EVALUABLE,
            Outcome.TRUE,
            Outcome.FALSE,
            Outcome.FALSE,
            Outcome.TRUE)) {
      Optional<Event> event = AlertTransitions.next(state, outcome);
      if (event.isPresent()) {
        events.add(event.get());
        state = event.get().to();
      }
    }
    assertEquals(List.of(Event.FIRED, Event.RESOLVED, Event.FIRED), events);
    assertEquals(State.FIRING, state);
  }

  @Test
  void wireNames() {
    assertEquals("firing", State.FIRING.wireName());
    assertEquals(State.OK, State.fromWire("ok"));
    assertEquals("resolved", Event.RESOLVED.wireName());
    assertEquals("not_evaluable", Outcome.NOT_EVALUABLE.wireName());
  }
}
