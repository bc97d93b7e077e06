package io.tracetics.engine.store;

import java.util.Map;

/**
 * What one {@link AnalyticsStore#load} call did.
 *
 * @param inserted rows that were new and are now in the events table
 * @param skippedDuplicates rows whose event id was already stored (or repeated within the batch)
 * @param position the load position recorded for the stream after the call (never lower than
 *     before)
 * @param rejected rows left out because their metadata is not a JSON object: event id to reason
 *     (the caller decides what becomes of them; the position moved past them all the same)
 * @param merged identity links that made an identifier an alias of a person
 */
public record LoadResult(
    long inserted, long skippedDuplicates, long position, Map<Long, String> rejected, long merged) {

  public LoadResult {
    rejected = Map.copyOf(rejected);
  }

  /** A result without identity links. */
  public LoadResult(
      long inserted, long skippedDuplicates, long position, Map<Long, String> rejected) {
    this(inserted, skippedDuplicates, position, rejected, 0);
  }

  /** A result with no rejected rows. */
  public LoadResult(long inserted, long skippedDuplicates, long position) {
    this(inserted, skippedDuplicates, position, Map.of());
  }
}
