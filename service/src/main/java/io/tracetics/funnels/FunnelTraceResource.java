package io.tracetics.funnels;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.auth.Auth;
import io.tracetics.ids.AppId;
import io.tracetics.tenancy.RequiresScope;
import io.tracetics.tenancy.Scope;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Why one person is where a saved funnel shows them, with the tenant's management token: {@code GET
 * /api/v1/apps/{app_id}/funnels/{funnel_id}/users/{user_identifier}/trace}, the identifier
 * URL-encoded (any of the person's identifiers), with the saved report's parameters and {@code
 * limit} (candidates, 1..20, default 5). Its own class with the full path as its root, so it never
 * shadows the routes of {@link FunnelsResource}.
 */
@Path("/api/v1/apps/{app_id}/funnels/{funnel_id}/users/{user_identifier}/trace")
@Produces(MediaType.APPLICATION_JSON)
public class FunnelTraceResource {
  private final TraceService traces;

  public FunnelTraceResource(TraceService traces) {
    this.traces = traces;
  }

  @GET
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public ObjectNode trace(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel,
      @PathParam("user_identifier") String identifier,
      @BeanParam ReportQuery report,
      @QueryParam("limit") String limit) {
    return traces.trace(tenant.tenantId(), app, funnel.value(), identifier, report.params(), limit);
  }
}
