package io.tracetics.engine.trace;

import java.util.Map;
import java.util.Objects;

/**
 * One event of the traced person (or unit) as the trace reads it.
 *
 * @param userIdentifier the identifier it was sent under (the person's own or an alias)
 * @param timeMillis its event time, epoch milliseconds
 * @param properties the text of each metadata property the funnel reads (filters, hold-constant,
 *     breakdown), as the engine compares it; a property that is absent or JSON {@code null} has no
 *     entry
 * @param traits in a unit's trace ({@link FunnelTracer#traceUnit}), the texts of the traits the
 *     funnel reads of the event's person, as {@code properties}; empty in a person's trace, which
 *     takes its person's traits once
 */
public record TraceEvent(
    long eventId,
    String userIdentifier,
    String eventName,
    long timeMillis,
    Map<String, String> properties,
    Map<String, String> traits) {

  public TraceEvent {
    Objects.requireNonNull(userIdentifier, "userIdentifier");
    Objects.requireNonNull(eventName, "eventName");
    properties = Map.copyOf(properties);
    traits = Map.copyOf(traits);
  }

  /** An event of a person's trace (its person's traits are given to the trace once). */
  public TraceEvent(
      long eventId,
      String userIdentifier,
      String eventName,
      long timeMillis,
      Map<String, String> properties) {
    this(eventId, userIdentifier, eventName, timeMillis, properties, Map.of());
  }

  /** The text of {@code property}, or null when the event does not set it. */
  public String property(String property) {
    return properties.get(property);
  }
}
