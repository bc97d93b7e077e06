package io.tracetics.tenancy;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.idempotency.Idempotent;
import io.tracetics.ids.AppId;
import io.tracetics.paging.PageRequest;
import io.tracetics.tenancy.TenancyApi.AppListResponse;
import io.tracetics.tenancy.TenancyApi.AppResponse;
import io.tracetics.tenancy.TenancyApi.CreateAppRequest;
import jakarta.validation.Valid;
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

/** A tenant's tracked apps, managed with its management token. */
@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AppsResource {
  private final AppService apps;

  public AppsResource(AppService apps) {
    this.apps = apps;
  }

  @Idempotent
  @POST
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public Response create(@Auth TenantPrincipal tenant, @NotNull @Valid CreateAppRequest request) {
    AppService.CreatedApp created = apps.create(tenant.tenantId(), request.name().strip());
    return Response.created(URI.create("/api/v1/apps/" + created.app().id()))
        .entity(AppResponse.of(created.app(), created.appKey()))
        .build();
  }

  @GET
  @Timed
  @ExceptionMetered
  @AnyScope
  public AppListResponse list(
      @Auth TenantPrincipal tenant,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    var page = apps.page(tenant.tenantId(), PageRequest.parse(limit, cursor));
    // A key limited to some apps sees only those: a page may hold fewer than the limit.
    return new AppListResponse(
        page.items().stream()
            .filter(row -> tenant.access().mayUse(row.id()))
            .map(row -> AppResponse.of(row, null))
            .toList(),
        page.nextCursor());
  }

  @GET
  @Path("/{app_id}")
  @Timed
  @ExceptionMetered
  @AnyScope
  public AppResponse get(@Auth TenantPrincipal tenant, @PathParam("app_id") AppId appId) {
    return AppResponse.of(apps.get(tenant.tenantId(), appId), null);
  }

  @DELETE
  @Path("/{app_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public Response delete(@Auth TenantPrincipal tenant, @PathParam("app_id") AppId appId) {
    apps.delete(tenant.tenantId(), appId);
    return Response.noContent().build();
  }

  @POST
  @Path("/{app_id}/keys/rotate")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public AppResponse rotateKey(@Auth TenantPrincipal tenant, @PathParam("app_id") AppId appId) {
    AppService.CreatedApp rotated = apps.rotateKey(tenant.tenantId(), appId);
    return AppResponse.of(rotated.app(), rotated.appKey());
  }
}
