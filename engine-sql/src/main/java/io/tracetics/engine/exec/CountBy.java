package io.tracetics.engine.exec;

import java.util.Objects;

/**
 * What a funnel counting units ({@code FunnelQuery.countBy}) says about its unit: the property
 * whose values its steps count, and how many of its step events had no value and were left out
 * (engine-sql/README.md "Counting units").
 *
 * @param property the metadata property
 * @param unassignedEvents the funnel's step events without the property (absent or JSON null)
 */
public record CountBy(String property, long unassignedEvents) {
  public CountBy {
    Objects.requireNonNull(property, "property");
    if (unassignedEvents < 0) {
      throw new IllegalArgumentException("a count cannot be negative: " + unassignedEvents);
    }
  }
}
