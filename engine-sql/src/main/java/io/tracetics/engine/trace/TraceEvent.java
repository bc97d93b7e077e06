package io.tracetics.engine.trace;

import java.util.Map;
import java.util.Objects;

/**
 * One event of the traced person as the trace reads it.
 *
 * @param userIdentifier the identifier it was sent under (the person's own or an alias)
 * @param timeMillis its event time, epoch milliseconds
 * @param properties the text of each metadata property the funnel reads (filters, hold-constant,
 *     breakdown), as the engine compares it; a property that is absent or JSON {@code null} has no
 *     entry
 */
public record TraceEvent(
    long eventId,
    String userIdentifier,
    String eventName,
    long timeMillis,
    Map<String, String> properties) {

  public TraceEvent {
    Objects.requireNonNull(userIdentifier, "userIdentifier");
    Objects.requireNonNull(eventName, "eventName");
    properties = Map.copyOf(properties);
  }

  /** The text of {@code property}, or null when the event does not set it. */
  public String property(String property) {
    return properties.get(property);
  }
}
