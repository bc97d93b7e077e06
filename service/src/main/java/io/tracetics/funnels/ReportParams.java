package io.tracetics.funnels;

/**
 * Report parameters that override a funnel's saved defaults (query parameters of the report call).
 * Null means "use the funnel's own".
 */
public record ReportParams(
    String from,
    String to,
    String breakdown,
    String interval,
    String mode,
    String breakdownSource) {

  public ReportParams(String from, String to, String breakdown, String interval, String mode) {
    this(from, to, breakdown, interval, mode, null);
  }

  public static final ReportParams NONE = new ReportParams(null, null, null, null, null);

  public boolean isEmpty() {
    return from == null
        && to == null
        && breakdown == null
        && interval == null
        && mode == null
        && breakdownSource == null;
  }
}
