package io.tracetics.cohorts;

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

/** Cohorts of an app and their members, with the tenant's management token. */
@Path("/api/v1/apps/{app_id}/cohorts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CohortsResource {
  private final CohortService cohorts;

  public CohortsResource(CohortService cohorts) {
    this.cohorts = cohorts;
  }

  @Idempotent
  @POST
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.FUNNELS_WRITE)
  public Response create(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @NotNull CohortApi.CreateRequest request) {
    CohortApi.Cohort created = cohorts.create(tenant.tenantId(), app, request);
    return Response.created(URI.create("/api/v1/apps/" + app + "/cohorts/" + created.cohortId()))
        .entity(created)
        .build();
  }

  @GET
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public CohortApi.CohortList list(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    var page = cohorts.page(tenant.tenantId(), app, PageRequest.parse(limit, cursor));
    return new CohortApi.CohortList(page.items(), page.nextCursor());
  }

  @GET
  @Path("/{cohort_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public CohortApi.Cohort get(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("cohort_id") CohortId cohort) {
    return cohorts.get(tenant.tenantId(), app, cohort.value());
  }

  @DELETE
  @Path("/{cohort_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.FUNNELS_WRITE)
  public Response delete(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("cohort_id") CohortId cohort) {
    cohorts.delete(tenant.tenantId(), app, cohort.value());
    return Response.noContent().build();
  }

  @GET
  @Path("/{cohort_id}/members")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public CohortApi.MemberPage members(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("cohort_id") CohortId cohort,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return cohorts.members(tenant.tenantId(), app, cohort.value(), limit, cursor);
  }
}
