package io.tracetics.tenancy;

import io.tracetics.ids.TenantId;
import java.security.Principal;

/** A request made with a tenant's management token. Its name (in request logs) is not a secret. */
public record TenantPrincipal(TenantId tenantId) implements Principal {
  @Override
  public String getName() {
    return "tenant:" + tenantId.value();
  }
}
