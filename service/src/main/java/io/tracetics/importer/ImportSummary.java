package io.tracetics.importer;

import java.nio.file.Path;

/**
 * What an import did. {@code accepted} follows the API's meaning: the rows that are now stored,
 * {@code stored} of them newly and {@code duplicates} already stored before (an earlier run of the
 * same file, or a repeated event id). {@code batches} is the number of {@code ingest_batches} rows
 * written; {@code rejectsFile} is null when no row was rejected.
 */
public record ImportSummary(
    long rows,
    long stored,
    long duplicates,
    long rejected,
    long batches,
    long elapsedNanos,
    Path rejectsFile) {

  public long accepted() {
    return stored + duplicates;
  }

  public double seconds() {
    return elapsedNanos / 1e9;
  }

  public double rowsPerSecond() {
    return elapsedNanos <= 0 ? 0 : rows / seconds();
  }

  /** The summary the command prints. */
  public String format() {
    return String.format(
        "rows       %,d%n"
            + "accepted   %,d (new %,d, already stored %,d)%n"
            + "rejected   %,d%s%n"
            + "batches    %,d%n"
            + "elapsed    %.2f s (%,.0f rows/s)%n",
        rows,
        accepted(),
        stored,
        duplicates,
        rejected,
        rejectsFile == null ? "" : " (see " + rejectsFile + ")",
        batches,
        seconds(),
        rowsPerSecond());
  }
}
