package io.tracetics.engine.store;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which events of one app the store holds: a result computed from the store includes exactly the
 * events up to this mark (as seen by the transaction that computed it).
 *
 * @param eventCount events of the app in the store
 * @param maxEventId the largest event id of the app, empty if none
 * @param newestReceivedAt the newest receipt time among them, empty if none
 */
public record Watermark(
    long eventCount, OptionalLong maxEventId, Optional<Instant> newestReceivedAt) {

  public static final Watermark EMPTY = new Watermark(0, OptionalLong.empty(), Optional.empty());
}
