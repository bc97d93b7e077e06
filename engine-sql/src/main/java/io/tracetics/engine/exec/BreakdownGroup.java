package io.tracetics.engine.exec;

import java.util.List;

/**
 * The funnel of the users whose attempt started on an event with this breakdown value.
 *
 * @param value the property value; null means the property was not set (when {@code other} is
 *     false) or the merged remainder (when {@code other} is true)
 * @param other true for the group merging all values beyond the top N
 */
public record BreakdownGroup(String value, boolean other, List<StepResult> steps) {
  public BreakdownGroup {
    steps = List.copyOf(steps);
  }
}
