package io.tracetics.explore;

/** One RFC 4180 CSV field. */
public final class CsvField {
  private CsvField() {}

  /** Quoted when it holds a comma, quote, CR or LF (or is empty, to tell it from NULL). */
  public static String of(String value) {
    if (value.isEmpty()
        || value.indexOf(',') >= 0
        || value.indexOf('"') >= 0
        || value.indexOf('\n') >= 0
        || value.indexOf('\r') >= 0) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}
