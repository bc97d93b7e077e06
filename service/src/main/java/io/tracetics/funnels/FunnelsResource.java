package io.tracetics.funnels;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.auth.Auth;
import io.tracetics.ids.AppId;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

  public FunnelsResource(FunnelService funnels, ReportService reports, AppService apps) {
    this.funnels = funnels;
    this.reports = reports;
    this.apps = apps;
  }

  @POST
  @Timed
  @ExceptionMetered
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
  public FunnelApi.FunnelList list(@Auth TenantPrincipal tenant, @PathParam("app_id") AppId app) {
    return new FunnelApi.FunnelList(funnels.list(tenant.tenantId(), app));
  }

  @GET
  @Path("/{funnel_id}")
  @Timed
  @ExceptionMetered
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
  public ObjectNode report(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("breakdown") String breakdown,
      @QueryParam("interval") String interval,
      @QueryParam("mode") String mode,
      @QueryParam("breakdown_source") String breakdownSource) {
    return reports.savedReport(
        tenant.tenantId(),
        app,
        funnel.value(),
        new ReportParams(from, to, breakdown, interval, mode, breakdownSource));
  }

  @POST
  @Path("/report")
  @Timed
  @ExceptionMetered
  public ObjectNode adHocReport(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @NotNull @Valid FunnelApi.Definition definition) {
    apps.get(tenant.tenantId(), app);
    funnels.requireLiveCohorts(tenant.tenantId(), app, definition);
    return reports.adHocReport(app, definition, ReportParams.NONE);
  }
}
