package io.tracetics.actors;

import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.engine.exec.ActorKey;
import io.tracetics.engine.exec.ActorList;
import io.tracetics.engine.exec.ActorsExecutor;
import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.funnels.FunnelApi;
import io.tracetics.funnels.FunnelQueries;
import io.tracetics.funnels.FunnelService;
import io.tracetics.funnels.ReportParams;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.AppService;
import java.util.Optional;

/**
 * The people behind a report's numbers: the cell a request names, of a saved funnel (with the
 * report's parameters) or of a definition sent with the request, computed live on this node's
 * DuckDB copy by the same plans as the report, at the watermark it states.
 */
public class ActorsService {
  private final AnalyticsStore store;
  private final FunnelService funnels;
  private final AppService apps;
  private final FunnelPlanner planner;
  private final ActorsExecutor executor = new ActorsExecutor();

  public ActorsService(AnalyticsStore store, FunnelService funnels, AppService apps) {
    this.store = store;
    this.funnels = funnels;
    this.apps = apps;
    this.planner = new FunnelPlanner(store.nativeFunnel());
  }

  /**
   * A saved funnel's cell.
   *
   * @param download whether the answer is a download (CSV, Arrow): the whole list by default
   */
  public ActorAnswer saved(
      TenantId tenant,
      AppId app,
      long funnelId,
      ReportParams params,
      ActorRequest request,
      boolean download) {
    return open(savedQuery(tenant, app, funnelId, params), request, download);
  }

  /** A saved funnel's query with the report's parameters, as its actors compute it. */
  public FunnelQuery savedQuery(TenantId tenant, AppId app, long funnelId, ReportParams params) {
    return funnels.load(tenant, app, funnelId).query(params);
  }

  /** A cell of the report of {@code definition}, which is not saved. */
  public ActorAnswer adHoc(
      TenantId tenant,
      AppId app,
      FunnelApi.Definition definition,
      ActorRequest request,
      boolean download) {
    apps.get(tenant, app);
    FunnelQuery query =
        FunnelQueries.toQuery(app.value(), FunnelService.normalize(definition), ReportParams.NONE);
    return open(query, request, download);
  }

  /**
   * The cell {@code request} names of {@code query}'s report (a valid query).
   *
   * @param download whether the answer is a download (CSV, Arrow): the whole list by default
   */
  public ActorAnswer open(FunnelQuery query, ActorRequest request, boolean download) {
    ActorCell cell = request.cell(query);
    long limit = request.pageSize(download);
    Optional<ActorKey> after = request.after(query);
    // Read the position before computing: the list includes at least this much (never less).
    long position = store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
    ActorList list = executor.open(store, planner.actors(query, cell), after, limit);
    return new ActorAnswer(list, query.steps().stream().map(FunnelStep::label).toList(), position);
  }
}
