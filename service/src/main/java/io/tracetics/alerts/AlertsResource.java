package io.tracetics.alerts;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.idempotency.Idempotent;
import io.tracetics.ids.AppId;
import io.tracetics.paging.PageRequest;
import io.tracetics.tenancy.RequiresScope;
import io.tracetics.tenancy.Scope;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Alerts on an app's saved funnels, with the tenant's management token or an API key. */
@Path("/api/v1/apps/{app_id}/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AlertsResource {
  private final AlertService alerts;

  public AlertsResource(AlertService alerts) {
    this.alerts = alerts;
  }

  @Idempotent
  @POST
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.FUNNELS_WRITE)
  public Response create(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @NotNull AlertApi.CreateRequest request) {
    AlertApi.Alert created = alerts.create(tenant.tenantId(), app, request);
    return Response.created(URI.create("/api/v1/apps/" + app + "/alerts/" + created.alertId()))
        .entity(created)
        .build();
  }

  @GET
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public AlertApi.AlertList list(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    var page = alerts.page(tenant.tenantId(), app, PageRequest.parse(limit, cursor));
    return new AlertApi.AlertList(page.items(), page.nextCursor());
  }

  @GET
  @Path("/{alert_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public AlertApi.Alert get(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("alert_id") AlertId alert) {
    return alerts.get(tenant.tenantId(), app, alert.value());
  }

  @DELETE
  @Path("/{alert_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.FUNNELS_WRITE)
  public Response delete(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("alert_id") AlertId alert) {
    alerts.delete(tenant.tenantId(), app, alert.value());
    return Response.noContent().build();
  }
}
