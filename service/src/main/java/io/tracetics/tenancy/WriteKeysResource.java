package io.tracetics.tenancy;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.ids.AppId;
import io.tracetics.paging.PageRequest;
import io.tracetics.tenancy.TenancyApi.WriteKeyListResponse;
import io.tracetics.tenancy.TenancyApi.WriteKeyResponse;
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

/** An app's write keys (for the Segment-compatible endpoints), with the management token. */
@Path("/api/v1/apps/{app_id}/write-keys")
@Produces(MediaType.APPLICATION_JSON)
public class WriteKeysResource {
  private final WriteKeyService writeKeys;

  public WriteKeysResource(WriteKeyService writeKeys) {
    this.writeKeys = writeKeys;
  }

  @POST
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public Response create(@Auth TenantPrincipal tenant, @PathParam("app_id") AppId app) {
    WriteKeyService.CreatedWriteKey created = writeKeys.create(tenant.tenantId(), app);
    return Response.created(URI.create("/api/v1/apps/" + app + "/write-keys/" + created.row().id()))
        .entity(WriteKeyResponse.of(app, created.row(), created.writeKey()))
        .build();
  }

  @GET
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public WriteKeyListResponse list(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    var page = writeKeys.page(tenant.tenantId(), app, PageRequest.parse(limit, cursor));
    return new WriteKeyListResponse(
        page.items().stream().map(row -> WriteKeyResponse.of(app, row, null)).toList(),
        page.nextCursor());
  }

  @DELETE
  @Path("/{key_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public Response revoke(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("key_id") long keyId) {
    writeKeys.revoke(tenant.tenantId(), app, keyId);
    return Response.noContent().build();
  }
}
