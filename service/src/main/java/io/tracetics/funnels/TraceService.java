package io.tracetics.funnels;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.trace.FunnelTracer;
import io.tracetics.engine.trace.PersonTrace;
import io.tracetics.engine.trace.TraceReader;
import io.tracetics.engine.trace.TraceTooLargeException;
import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;

/**
 * Why one person is where a saved funnel shows them: the chain the engine chose and, for the first
 * step not reached, the nearest candidate events with a reason each, computed on this node's DuckDB
 * copy with the report's parameters.
 */
public class TraceService {
  private final FunnelService funnels;
  private final AnalyticsStore store;
  private final TraceReader reader;
  private final ObjectMapper json;

  public TraceService(FunnelService funnels, AnalyticsStore store, ObjectMapper json) {
    this.funnels = funnels;
    this.store = store;
    this.reader = new TraceReader(store);
    this.json = json;
  }

  /**
   * The trace of the person {@code identifier} belongs to; for a funnel that counts units ({@code
   * count_by}), of the unit whose value {@code identifier} is.
   *
   * @param limit how many candidates to list ({@value FunnelTracer#DEFAULT_CANDIDATES} when null)
   * @throws ApiException 404 {@code app_not_found}, {@code funnel_not_found}, {@code
   *     person_not_found} or (a funnel counting units: no event carries the value) {@code
   *     unit_not_found}; 400 {@code invalid_parameter} for {@code limit}; 422 {@code
   *     invalid_funnel} for report parameters the funnel cannot take; 422 {@code trace_too_large}
   *     when the person has too many events in the funnel's bounds
   */
  public ObjectNode trace(
      TenantId tenant,
      AppId app,
      long funnelId,
      String identifier,
      ReportParams params,
      String limit) {
    FunnelService.Loaded funnel = funnels.load(tenant, app, funnelId);
    int candidates = candidates(limit);
    FunnelQuery query = funnel.query(params);
    // Read the position first: the answer includes at least what was loaded up to it.
    long position = store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
    PersonTrace trace;
    try {
      trace =
          reader
              .trace(query, identifier, candidates)
              .orElseThrow(
                  () -> ApiException.notFound(query.countsUnits() ? "Unit" : "Person", identifier));
    } catch (TraceTooLargeException e) {
      throw new ApiException(422, "trace_too_large", "Cannot trace this person: " + e.getMessage());
    }
    return TraceFormatter.format(json, funnelId, query, trace, position);
  }

  private static int candidates(String text) {
    if (text == null) {
      return FunnelTracer.DEFAULT_CANDIDATES;
    }
    int limit;
    try {
      limit = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > FunnelTracer.MAX_CANDIDATES) {
      throw ApiException.badRequest(
          "invalid_parameter",
          "Query parameter 'limit' must be a whole number from 1 to "
              + FunnelTracer.MAX_CANDIDATES);
    }
    return limit;
  }
}
