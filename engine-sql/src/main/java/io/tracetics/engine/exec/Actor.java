package io.tracetics.engine.exec;

import java.util.Arrays;
import java.util.Objects;

/**
 * One person of a report cell.
 *
 * @param personKey the person's key in the store (the order of the list, and its cursor)
 * @param userIdentifier the person's own identifier (an alias resolves to it)
 * @param stepTimesMillis the chosen chain's step times, epoch milliseconds, one per step reached:
 *     the first is the entry time, the length is the level
 */
public record Actor(long personKey, String userIdentifier, long[] stepTimesMillis) {
  public Actor {
    Objects.requireNonNull(stepTimesMillis, "stepTimesMillis");
    stepTimesMillis = stepTimesMillis.clone();
  }

  /** When the chosen attempt entered the funnel (its step-0 time). */
  public long enteredAtMillis() {
    return stepTimesMillis[0];
  }

  /** The furthest step reached, 0-based. */
  public int reachedStep() {
    return stepTimesMillis.length - 1;
  }

  @Override
  public long[] stepTimesMillis() {
    return stepTimesMillis.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Actor a
        && a.personKey == personKey
        && Objects.equals(a.userIdentifier, userIdentifier)
        && Arrays.equals(a.stepTimesMillis, stepTimesMillis);
  }

  @Override
  public int hashCode() {
    return Objects.hash(personKey, userIdentifier, Arrays.hashCode(stepTimesMillis));
  }

  @Override
  public String toString() {
    return userIdentifier + Arrays.toString(stepTimesMillis);
  }
}
