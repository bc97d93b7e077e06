package io.tracetics.ingest;

/**
 * One validated event, ready to store. Times are epoch milliseconds (UTC); {@code eventTimeMs} is
 * already corrected for client clock skew. {@code metadataJson} is the compact JSON text of the
 * metadata object, or null when the client sent none; {@code clientEventId} is the client's
 * idempotency id, or null.
 */
public record IngestEvent(
    String eventName,
    String userIdentifier,
    String metadataJson,
    long eventTimeMs,
    long receivedAtMs,
    Long sentAtMs,
    String clientEventId) {}
