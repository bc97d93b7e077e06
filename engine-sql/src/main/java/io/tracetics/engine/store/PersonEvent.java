package io.tracetics.engine.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One event on a person's timeline.
 *
 * @param userIdentifier the identifier it was sent under (the person's own or one of its aliases)
 * @param metadataJson its metadata as a JSON object text, or null
 */
public record PersonEvent(
    long eventId, String userIdentifier, String eventName, Instant eventTime, String metadataJson) {

  public PersonEvent {
    Objects.requireNonNull(userIdentifier, "userIdentifier");
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(eventTime, "eventTime");
  }

  /** Where a page that ends with this event ends. */
  public EventCursor cursor() {
    return new EventCursor(eventTime.toEpochMilli(), eventId);
  }
}
