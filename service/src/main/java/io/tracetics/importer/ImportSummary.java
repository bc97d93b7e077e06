package io.tracetics.importer;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an import did. {@code rows} are the file's records (or the source's rows). {@code accepted}
 * follows the API's meaning for events: the rows that are now stored, {@code stored} of them newly
 * and {@code duplicates} already stored before (an earlier run of the same file, or a repeated
 * event id); {@code rejected} rows became nothing. {@code identifies} are the identifies of the
 * import (identify records, and the links events imply), {@code skipped} the rows a preset leaves
 * out on purpose, by reason. {@code batches} is the number of {@code ingest_batches} rows written
 * for events; {@code rejectsFile} is null when nothing was refused.
 */
public record ImportSummary(
    long rows,
    long stored,
    long duplicates,
    long rejected,
    Identifies identifies,
    long skipped,
    Map<String, Long> skipReasons,
    long batches,
    long elapsedNanos,
    Path rejectsFile) {

  /**
   * The identifies: {@code stored} (or accepted as links that were made already), {@code
   * duplicates} (their id was stored before: a re-import), {@code refused} (by the API's identify
   * rules, such as an anonymous id that belongs to another user; in the rejects file).
   */
  public record Identifies(long stored, long duplicates, long refused) {
    public long total() {
      return stored + duplicates + refused;
    }
  }

  public ImportSummary {
    skipReasons = Collections.unmodifiableMap(new LinkedHashMap<>(skipReasons));
  }

  public long accepted() {
    return stored + duplicates;
  }

  public double seconds() {
    return elapsedNanos / 1e9;
  }

  public double rowsPerSecond() {
    return elapsedNanos <= 0 ? 0 : rows / seconds();
  }

  private String see() {
    return rejectsFile == null ? "" : " (see " + rejectsFile + ")";
  }

  /** The summary the command prints; the identify and skipped lines only when there are any. */
  public String format() {
    StringBuilder out =
        new StringBuilder(
            String.format(
                "rows       %,d%n"
                    + "accepted   %,d (new %,d, already stored %,d)%n"
                    + "rejected   %,d%s%n",
                rows, accepted(), stored, duplicates, rejected, rejected > 0 ? see() : ""));
    if (identifies.total() > 0) {
      out.append(
          String.format(
              "identifies %,d (new %,d, already stored %,d, refused %,d)%s%n",
              identifies.total(),
              identifies.stored(),
              identifies.duplicates(),
              identifies.refused(),
              identifies.refused() > 0 ? see() : ""));
    }
    if (skipped > 0) {
      out.append(String.format("skipped    %,d", skipped));
      String separator = " (";
      for (Map.Entry<String, Long> reason : skipReasons.entrySet()) {
        out.append(separator).append(String.format("%,d: %s", reason.getValue(), reason.getKey()));
        separator = "; ";
      }
      out.append(String.format(")%n"));
    }
    out.append(
        String.format(
            "batches    %,d%n" + "elapsed    %.2f s (%,.0f rows/s)%n",
            batches, seconds(), rowsPerSecond()));
    return out.toString();
  }
}
