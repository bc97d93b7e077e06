package io.tracetics.engine.exec;

/**
 * One step of a funnel result.
 *
 * @param eventName the event name of the step's (first) alternative
 * @param name what the step is called: its name, else {@code eventName}
 * @param users users who reached at least this step
 * @param conversionFromFirst users / users of step 1 (0 when step 1 has none)
 * @param conversionFromPrevious users / users of the previous step (1 for step 1 with users)
 * @param dropOff users of the previous step who did not reach this one (0 for step 1)
 * @param alternatives for a step with several alternatives in an ordered or strict funnel, the
 *     users per alternative (in the step's order); else empty
 */
public record StepResult(
    int index,
    String eventName,
    String name,
    long users,
    double conversionFromFirst,
    double conversionFromPrevious,
    long dropOff,
    TimeToConvert timeToConvert,
    java.util.List<AlternativeCount> alternatives) {

  public StepResult {
    alternatives = java.util.List.copyOf(alternatives);
  }
}
