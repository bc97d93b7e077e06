package io.tracetics.engine.store;

import java.util.Objects;

/**
 * One event as the loader hands it to the store.
 *
 * @param id the MariaDB event id (globally unique; the exactly-once key)
 * @param metadataJson the event's metadata as a JSON object text, or null
 */
public record EventRow(
    long id,
    long appId,
    String userIdentifier,
    String eventName,
    long eventTimeMillis,
    long receivedAtMillis,
    String metadataJson) {

  public EventRow {
    Objects.requireNonNull(userIdentifier, "userIdentifier");
    Objects.requireNonNull(eventName, "eventName");
  }
}
