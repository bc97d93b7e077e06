package io.tracetics.loader;

import io.tracetics.engine.store.EventRow;

/** An event as read from the system of record. */
public record SourceEvent(
    long id,
    long appId,
    String userIdentifier,
    String eventName,
    long eventTimeMs,
    long receivedAtMs,
    String metadata) {

  public EventRow toRow() {
    return new EventRow(id, appId, userIdentifier, eventName, eventTimeMs, receivedAtMs, metadata);
  }
}
