package io.tracetics.tenancy;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.errors.ApiException;
import io.tracetics.idempotency.Idempotent;
import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.TenancyApi.CreateTenantRequest;
import io.tracetics.tenancy.TenancyApi.RotateTenantKeyRequest;
import io.tracetics.tenancy.TenancyApi.RotatedKeyResponse;
import io.tracetics.tenancy.TenancyApi.TenantCreatedResponse;
import io.tracetics.tenancy.TenancyApi.TenantListResponse;
import io.tracetics.tenancy.TenancyApi.TenantResponse;
import io.tracetics.tenancy.TenancyApi.UpdateTenantRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * Tenants: the operator creates, lists them and sets their plans; each tenant reads itself and
 * rotates its own secrets.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantsResource {
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final TenantService tenants;

  public TenantsResource(TenantService tenants) {
    this.tenants = tenants;
  }

  @Idempotent
  @POST
  @Path("/tenants")
  @Timed
  @ExceptionMetered
  public Response create(
      @Auth OperatorPrincipal operator, @NotNull @Valid CreateTenantRequest request) {
    TenantService.CreatedTenant created =
        tenants.create(
            request.name().strip(), request.plan() == null ? null : request.plan().strip());
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

  /** Every tenant in id order, {@code limit} at a time; {@code cursor} is the last page's end. */
  @GET
  @Path("/tenants")
  @Timed
  @ExceptionMetered
  public TenantListResponse list(
      @Auth OperatorPrincipal operator,
      @QueryParam("limit") @DefaultValue("100") String limit,
      @QueryParam("cursor") String cursor) {
    int size = parse("limit", limit, 1, MAX_PAGE);
    long after =
        cursor == null || cursor.isEmpty() ? 0 : parse("cursor", cursor, 0, Long.MAX_VALUE);
    List<TenantRow> page = tenants.list(after, size);
    String next = page.size() < size ? null : Long.toString(page.get(page.size() - 1).id().value());
    return new TenantListResponse(page.stream().map(TenantResponse::of).toList(), next);
  }

  @PATCH
  @Path("/tenants/{tenant_id}")
  @Timed
  @ExceptionMetered
  public TenantResponse update(
      @Auth OperatorPrincipal operator,
      @PathParam("tenant_id") TenantId tenantId,
      @NotNull @Valid UpdateTenantRequest request) {
    return TenantResponse.of(tenants.setPlan(tenantId, request.plan().strip()));
  }

  private static long parse(String name, String text, long min, long max) {
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(
        "invalid_parameter",
        "Query parameter '" + name + "' must be a whole number from " + min + " to " + max);
  }

  private static int parse(String name, String text, int min, int max) {
    return (int) parse(name, text, (long) min, (long) max);
  }

  @GET
  @Path("/tenant")
  @Timed
  @ExceptionMetered
  @AnyScope
  public TenantResponse self(@Auth TenantPrincipal tenant) {
    return TenantResponse.of(tenants.get(tenant.tenantId()));
  }

  @GET
  @Path("/tenant/access")
  @Timed
  @ExceptionMetered
  @AnyScope
  public ApiKeyApi.AccessResponse access(@Auth TenantPrincipal tenant) {
    return ApiKeyApi.AccessResponse.of(tenant);
  }

  @POST
  @Path("/tenant/keys/rotate")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public RotatedKeyResponse rotate(
      @Auth TenantPrincipal tenant, @NotNull @Valid RotateTenantKeyRequest request) {
    CredentialKind kind = CredentialKind.fromDb(request.kind());
    return new RotatedKeyResponse(kind.dbValue(), tenants.rotate(tenant.tenantId(), kind));
  }
}
