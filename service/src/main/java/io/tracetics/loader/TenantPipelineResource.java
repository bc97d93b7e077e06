package io.tracetics.loader;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.ids.AppId;
import io.tracetics.tenancy.AnyScope;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A tenant's view of the pipeline: its own apps, those the calling key may use. */
@Path("/api/v1/tenant/pipeline")
@Produces(MediaType.APPLICATION_JSON)
public class TenantPipelineResource {
  private final TenantPipelineService status;

  public TenantPipelineResource(TenantPipelineService status) {
    this.status = status;
  }

  @GET
  @Timed
  @ExceptionMetered
  @AnyScope
  public TenantPipelineService.Status status(@Auth TenantPrincipal tenant) {
    return status
        .status(tenant.tenantId())
        .onlyApps(app -> tenant.access().mayUse(new AppId(app.appId())));
  }
}
