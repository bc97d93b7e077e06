package io.tracetics.funnels;

import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.Map;

/**
 * The report parameters as query parameters ({@code @BeanParam}): the same on every call that reads
 * a saved funnel's report, its actors or a person's trace through it.
 */
public class ReportQuery {
  @QueryParam("from")
  String from;

  @QueryParam("to")
  String to;

  @QueryParam("breakdown")
  String breakdown;

  @QueryParam("interval")
  String interval;

  @QueryParam("mode")
  String mode;

  @QueryParam("breakdown_source")
  String breakdownSource;

  /**
   * Checked on every call like the others, but only the report reads it: the actors and the trace
   * are the current period's.
   */
  @QueryParam("compare")
  String compare;

  /** The names of these query parameters (the fields' {@code @QueryParam}s), in this order. */
  public static final List<String> NAMES =
      List.of("from", "to", "breakdown", "interval", "mode", "breakdown_source", "compare");

  public ReportParams params() {
    return new ReportParams(from, to, breakdown, interval, mode, breakdownSource, compare);
  }

  /** The parameters given by name (one of {@link #NAMES}; absent: the funnel's own). */
  public static ReportParams params(Map<String, String> byName) {
    return new ReportParams(
        byName.get("from"),
        byName.get("to"),
        byName.get("breakdown"),
        byName.get("interval"),
        byName.get("mode"),
        byName.get("breakdown_source"),
        byName.get("compare"));
  }
}
