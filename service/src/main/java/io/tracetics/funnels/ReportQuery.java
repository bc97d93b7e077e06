package io.tracetics.funnels;

import jakarta.ws.rs.QueryParam;

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

  public ReportParams params() {
    return new ReportParams(from, to, breakdown, interval, mode, breakdownSource, compare);
  }
}
