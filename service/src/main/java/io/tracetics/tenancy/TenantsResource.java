package io.tracetics.tenancy;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.tenancy.TenancyApi.CreateTenantRequest;
import io.tracetics.tenancy.TenancyApi.RotateTenantKeyRequest;
import io.tracetics.tenancy.TenancyApi.RotatedKeyResponse;
import io.tracetics.tenancy.TenancyApi.TenantCreatedResponse;
import io.tracetics.tenancy.TenancyApi.TenantResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Tenants: created by the operator; each tenant reads itself and rotates its own secrets. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantsResource {
  private final TenantService tenants;

  public TenantsResource(TenantService tenants) {
    this.tenants = tenants;
  }

  @POST
  @Path("/tenants")
  @Timed
  @ExceptionMetered
  public Response create(
      @Auth OperatorPrincipal operator, @NotNull @Valid CreateTenantRequest request) {
    TenantService.CreatedTenant created = tenants.create(request.name().strip());
    return Response.created(URI.create("/api/v1/tenant"))
        .entity(
            new TenantCreatedResponse(
                created.tenant().id().value(),
                created.tenant().name(),
                created.tenantKey(),
                created.managementToken(),
                created.tenant().plan().code()))
        .build();
  }

  @GET
  @Path("/tenant")
  @Timed
  @ExceptionMetered
  public TenantResponse self(@Auth TenantPrincipal tenant) {
    return TenantResponse.of(tenants.get(tenant.tenantId()));
  }

  @POST
  @Path("/tenant/keys/rotate")
  @Timed
  @ExceptionMetered
  public RotatedKeyResponse rotate(
      @Auth TenantPrincipal tenant, @NotNull @Valid RotateTenantKeyRequest request) {
    CredentialKind kind = CredentialKind.fromDb(request.kind());
    return new RotatedKeyResponse(kind.dbValue(), tenants.rotate(tenant.tenantId(), kind));
  }
}
