package io.tracetics.funnels;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.auth.Auth;
import io.tracetics.actors.ActorAnswer;
import io.tracetics.actors.ActorRequest;
import io.tracetics.actors.ActorsService;
import io.tracetics.explore.ExploreResource;
import io.tracetics.idempotency.Idempotent;
import io.tracetics.ids.AppId;
import io.tracetics.paging.PageRequest;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.RequiresScope;
import io.tracetics.tenancy.Scope;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Saved funnels of an app and their reports, with the tenant's management token. */
@Path("/api/v1/apps/{app_id}/funnels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FunnelsResource {
  private final FunnelService funnels;
  private final ReportService reports;
  private final AppService apps;
  private final ActorsService actors;

  public FunnelsResource(
      FunnelService funnels, ReportService reports, AppService apps, ActorsService actors) {
    this.funnels = funnels;
    this.reports = reports;
    this.apps = apps;
    this.actors = actors;
  }

  @Idempotent
  @POST
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.FUNNELS_WRITE)
  public Response create(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @NotNull @Valid FunnelApi.Definition definition) {
    FunnelApi.SavedFunnel saved = funnels.create(tenant.tenantId(), app, definition);
    return Response.created(URI.create("/api/v1/apps/" + app + "/funnels/" + saved.funnelId()))
        .entity(saved)
        .build();
  }

  @GET
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public FunnelApi.FunnelList list(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    var page = funnels.page(tenant.tenantId(), app, PageRequest.parse(limit, cursor));
    return new FunnelApi.FunnelList(page.items(), page.nextCursor());
  }

  @GET
  @Path("/{funnel_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public FunnelApi.SavedFunnel get(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel) {
    return funnels.get(tenant.tenantId(), app, funnel.value());
  }

  @PUT
  @Path("/{funnel_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.FUNNELS_WRITE)
  public FunnelApi.SavedFunnel update(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel,
      @NotNull @Valid FunnelApi.Definition definition) {
    return funnels.update(tenant.tenantId(), app, funnel.value(), definition);
  }

  @DELETE
  @Path("/{funnel_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.FUNNELS_WRITE)
  public Response delete(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel) {
    funnels.delete(tenant.tenantId(), app, funnel.value());
    return Response.noContent().build();
  }

  @GET
  @Path("/{funnel_id}/report")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public ObjectNode report(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel,
      @BeanParam ReportQuery report) {
    return reports.savedReport(tenant.tenantId(), app, funnel.value(), report.params());
  }

  @POST
  @Path("/report")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public ObjectNode adHocReport(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @NotNull @Valid FunnelApi.Definition definition) {
    apps.get(tenant.tenantId(), app);
    funnels.requireLiveCohorts(tenant.tenantId(), app, definition);
    // The body carries the report's parameters as the definition's own; compare among them.
    return reports.adHocReport(
        app, definition, ReportParams.NONE.withCompare(definition.compare()));
  }

  /**
   * The people of one cell of a saved funnel's report (README "The people behind the numbers"): the
   * cell's parameters, the page's, and the report's. JSON, CSV or Arrow by {@code Accept}.
   */
  @GET
  @Path("/{funnel_id}/actors")
  @Produces({MediaType.APPLICATION_JSON, ExploreResource.CSV, ExploreResource.ARROW_STREAM})
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public Response actors(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel,
      @QueryParam("step") String step,
      @QueryParam("status") String status,
      @QueryParam("breakdown_value") String breakdownValue,
      @QueryParam("breakdown_other") String breakdownOther,
      @QueryParam("breakdown_not_set") String breakdownNotSet,
      @QueryParam("period") String period,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor,
      @BeanParam ReportQuery report,
      @Context HttpHeaders headers) {
    MediaType format = ExploreResource.choose(headers);
    ActorRequest request =
        ActorRequest.parse(
            step, status, breakdownValue, breakdownOther, breakdownNotSet, period, limit, cursor);
    ActorAnswer answer =
        actors.saved(
            tenant.tenantId(),
            app,
            funnel.value(),
            report.params(),
            request,
            format != MediaType.APPLICATION_JSON_TYPE);
    return actorsResponse(answer, format);
  }

  /** {@link #actors} for a definition that is not saved, sent in the body with the cell. */
  @POST
  @Path("/report/actors")
  @Produces({MediaType.APPLICATION_JSON, ExploreResource.CSV, ExploreResource.ARROW_STREAM})
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public Response adHocActors(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @NotNull @Valid FunnelApi.ActorsRequest body,
      @Context HttpHeaders headers) {
    MediaType format = ExploreResource.choose(headers);
    ActorRequest request =
        new ActorRequest(
            body.step(),
            body.status(),
            body.breakdownValue(),
            body.breakdownOther(),
            body.breakdownNotSet(),
            body.period(),
            body.limit(),
            body.cursor());
    ActorAnswer answer =
        actors.adHoc(
            tenant.tenantId(),
            app,
            body.definition(),
            request,
            format != MediaType.APPLICATION_JSON_TYPE);
    return actorsResponse(answer, format);
  }

  private static Response actorsResponse(ActorAnswer answer, MediaType format) {
    Response.ResponseBuilder response =
        Response.ok(answer, format)
            .header(TOTAL_HEADER, answer.list().total())
            .header(WATERMARK_HEADER, answer.watermarkHeader());
    String next = answer.nextCursor();
    if (next != null) {
      response.header(NEXT_CURSOR_HEADER, next);
    }
    return response.build();
  }

  /** Actors: the cell's size (all pages), on every answer. */
  public static final String TOTAL_HEADER = "X-Tracetics-Total";

  /** Actors: the next page's cursor, absent on the last page. */
  public static final String NEXT_CURSOR_HEADER = "X-Tracetics-Next-Cursor";

  /** Actors: the watermark ({@link ActorAnswer#watermarkHeader}). */
  public static final String WATERMARK_HEADER = "X-Tracetics-Watermark";
}
