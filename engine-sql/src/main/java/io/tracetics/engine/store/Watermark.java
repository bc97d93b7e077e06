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
 * @param identityVersion how many loads have changed the app's persons (merges or traits): a result
 *     holds for the identities of this version
 */
public record Watermark(
    long eventCount,
    OptionalLong maxEventId,
    Optional<Instant> newestReceivedAt,
    long identityVersion) {

  public static final Watermark EMPTY = new Watermark(0, OptionalLong.empty(), Optional.empty(), 0);

  /** A watermark of identity version 0. */
  public Watermark(long eventCount, OptionalLong maxEventId, Optional<Instant> newestReceivedAt) {
    this(eventCount, maxEventId, newestReceivedAt, 0);
  }
}
