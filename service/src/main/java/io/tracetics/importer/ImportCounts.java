package io.tracetics.importer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running counts of one import: {@code rows}, {@code rejected}, {@code skipped} and the
 * identify counts are written by the reading thread only (identifies are stored on it), the others
 * by the writer threads; any thread may read them.
 */
final class ImportCounts {
  volatile long rows;
  volatile long rejected;
  volatile long skipped;
  volatile long identifyRows;
  volatile long identifiesStored;
  volatile long identifiesDuplicate;
  volatile long identifiesRefused;
  final AtomicLong stored = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong batches = new AtomicLong();

  /** The reasons rows were skipped for, with how many rows each (reading thread only). */
  final Map<String, Long> skipReasons = new LinkedHashMap<>();

  void skipReason(String reason) {
    skipReasons.merge(reason, 1L, Long::sum);
  }

  /** The rows that are done: events stored or duplicate, rejected, skipped, or identifies. */
  long done() {
    return stored.get() + duplicates.get() + rejected + skipped + identifyRows;
  }

  long identifies() {
    return identifiesStored + identifiesDuplicate + identifiesRefused;
  }
}
