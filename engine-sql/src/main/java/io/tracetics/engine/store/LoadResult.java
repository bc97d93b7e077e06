package io.tracetics.engine.store;

/**
 * What one {@link AnalyticsStore#load} call did.
 *
 * @param inserted rows that were new and are now in the events table
 * @param skippedDuplicates rows whose event id was already stored (or repeated within the batch)
 * @param position the load position recorded for the stream after the call (never lower than
 *     before)
 */
public record LoadResult(long inserted, long skippedDuplicates, long position) {}
