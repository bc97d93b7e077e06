package io.tracetics.importer;

import java.util.function.DoubleSupplier;

/**
 * Reports an import's progress, from the reading thread and the writer threads, one report at a
 * time. The bar follows the rows that are done (stored, duplicate or rejected): the share of the
 * source read, scaled by the share of the rows read so far that are done.
 */
final class ImportProgress {
  private final Importer.Progress progress;
  private final DoubleSupplier fractionRead;
  private final ImportCounts counts;

  ImportProgress(Importer.Progress progress, DoubleSupplier fractionRead, ImportCounts counts) {
    this.progress = progress;
    this.fractionRead = fractionRead;
    this.counts = counts;
  }

  synchronized void report() {
    long read = counts.rows;
    long done = counts.done();
    progress.update(fraction(fractionRead.getAsDouble(), read, done), done);
  }

  /** The last report, once every row is done. */
  synchronized void finish() {
    progress.update(1.0, counts.done());
  }

  /** The estimated fraction done, 0..1. */
  static double fraction(double fractionRead, long read, long done) {
    return read == 0 ? 0 : fractionRead * Math.min(1.0, done / (double) read);
  }
}
