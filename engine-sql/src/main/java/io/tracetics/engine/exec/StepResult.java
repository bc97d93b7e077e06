package io.tracetics.engine.exec;

/**
 * One step of a funnel result.
 *
 * @param users users who reached at least this step
 * @param conversionFromFirst users / users of step 1 (0 when step 1 has none)
 * @param conversionFromPrevious users / users of the previous step (1 for step 1 with users)
 * @param dropOff users of the previous step who did not reach this one (0 for step 1)
 */
public record StepResult(
    int index,
    String eventName,
    long users,
    double conversionFromFirst,
    double conversionFromPrevious,
    long dropOff,
    TimeToConvert timeToConvert) {}
