package io.tracetics.tenancy;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.idempotency.Idempotent;
import io.tracetics.paging.PageRequest;
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

/** A tenant's API keys. */
@Path("/api/v1/tenant/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeysResource {
  private final ApiKeyService keys;

  public ApiKeysResource(ApiKeyService keys) {
    this.keys = keys;
  }

  @Idempotent
  @POST
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public Response create(
      @Auth TenantPrincipal tenant, @NotNull ApiKeyApi.CreateApiKeyRequest request) {
    ApiKeyService.CreatedApiKey created = keys.create(tenant.tenantId(), request);
    return Response.created(URI.create("/api/v1/tenant/api-keys/" + created.row().id()))
        .entity(ApiKeyApi.ApiKeyResponse.of(created.row(), created.key(), keys.now()))
        .build();
  }

  @GET
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public ApiKeyApi.ApiKeyListResponse list(
      @Auth TenantPrincipal tenant,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    var page = keys.page(tenant.tenantId(), PageRequest.parse(limit, cursor));
    return new ApiKeyApi.ApiKeyListResponse(
        page.items().stream()
            .map(row -> ApiKeyApi.ApiKeyResponse.of(row, null, keys.now()))
            .toList(),
        page.nextCursor());
  }

  @DELETE
  @Path("/{key_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public Response revoke(@Auth TenantPrincipal tenant, @PathParam("key_id") String keyId) {
    keys.revoke(tenant.tenantId(), ApiKeyService.parseId(keyId));
    return Response.noContent().build();
  }
}
