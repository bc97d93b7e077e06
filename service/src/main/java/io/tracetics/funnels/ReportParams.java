package io.tracetics.funnels;

/**
 * Report parameters that override a funnel's saved defaults (query parameters of the report call).
 * Null means "use the funnel's own". {@code compare} is the report's alone (a funnel saves none):
 * {@value #COMPARE_PREVIOUS} adds the previous period's report and the comparison with it.
 */
public record ReportParams(
    String from,
    String to,
    String breakdown,
    String interval,
    String mode,
    String breakdownSource,
    String compare) {

  /**
   * The one value of {@code compare}: the range of the same length ending where this one starts.
   */
  public static final String COMPARE_PREVIOUS = "previous";

  public ReportParams(String from, String to, String breakdown, String interval, String mode) {
    this(from, to, breakdown, interval, mode, null, null);
  }

  public ReportParams(
      String from,
      String to,
      String breakdown,
      String interval,
      String mode,
      String breakdownSource) {
    this(from, to, breakdown, interval, mode, breakdownSource, null);
  }

  public static final ReportParams NONE = new ReportParams(null, null, null, null, null);

  public boolean isEmpty() {
    return from == null
        && to == null
        && breakdown == null
        && interval == null
        && mode == null
        && breakdownSource == null
        && compare == null;
  }

  /** Whether the report compares with the previous period ({@code compare} is validated apart). */
  public boolean comparesPrevious() {
    return COMPARE_PREVIOUS.equals(compare);
  }

  public ReportParams withCompare(String compare) {
    return new ReportParams(from, to, breakdown, interval, mode, breakdownSource, compare);
  }

  /** The same parameters over another entry range. */
  public ReportParams withRange(String from, String to) {
    return new ReportParams(from, to, breakdown, interval, mode, breakdownSource, compare);
  }
}
