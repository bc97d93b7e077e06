package io.tracetics.engine.exec;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One actor of a report cell: a person, or, for a funnel that counts units, a unit.
 *
 * @param key the actor's place in the list (a person key or a unit value), and its cursor
 * @param userIdentifier the person's own identifier (an alias resolves to it), or the unit's value
 * @param stepTimes the chosen chain's step times as ISO-8601 UTC text with milliseconds ({@code
 *     2026-01-05T09:12:00.000Z}, formatted by DuckDB as it reads them), one per step reached: the
 *     first is the entry time, the size is the level
 */
public record Actor(ActorKey key, String userIdentifier, List<String> stepTimes) {
  public Actor {
    Objects.requireNonNull(key, "key");
    stepTimes = List.copyOf(Objects.requireNonNull(stepTimes, "stepTimes"));
    if (stepTimes.isEmpty()) {
      throw new IllegalArgumentException("an actor reached at least step 0");
    }
  }

  /** When the chosen attempt entered the funnel (its step-0 time). */
  public String enteredAt() {
    return stepTimes.get(0);
  }

  /** The furthest step reached, 0-based. */
  public int reachedStep() {
    return stepTimes.size() - 1;
  }

  /** The step times in epoch milliseconds. */
  public long[] stepTimesMillis() {
    return stepTimes.stream().mapToLong(t -> Instant.parse(t).toEpochMilli()).toArray();
  }
}
