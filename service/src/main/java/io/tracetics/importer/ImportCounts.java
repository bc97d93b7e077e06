package io.tracetics.importer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The running counts of one import: {@code rows} and {@code rejected} are written by the reading
 * thread only, the others by the writer threads; any thread may read them.
 */
final class ImportCounts {
  volatile long rows;
  volatile long rejected;
  final AtomicLong stored = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong batches = new AtomicLong();

  /** The rows that are done: stored, duplicate or rejected. */
  long done() {
    return stored.get() + duplicates.get() + rejected;
  }
}
