package io.tracetics.engine.exec;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One person of a report cell.
 *
 * @param personKey the person's key in the store (the order of the list, and its cursor)
 * @param userIdentifier the person's own identifier (an alias resolves to it)
 * @param stepTimes the chosen chain's step times as ISO-8601 UTC text with milliseconds ({@code
 *     2026-01-05T09:12:00.000Z}, formatted by DuckDB as it reads them), one per step reached: the
 *     first is the entry time, the size is the level
 */
public record Actor(long personKey, String userIdentifier, List<String> stepTimes) {
  public Actor {
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
