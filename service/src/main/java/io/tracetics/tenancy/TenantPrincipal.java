package io.tracetics.tenancy;

import io.tracetics.ids.TenantId;
import java.security.Principal;

/**
 * A request made with a tenant's management token or one of its API keys, and what that credential
 * may do. Its name (in request logs) is not a secret.
 */
public record TenantPrincipal(TenantId tenantId, Access access) implements Principal {
  /** A request made with the management token. */
  public TenantPrincipal(TenantId tenantId) {
    this(tenantId, Access.ROOT);
  }

  @Override
  public String getName() {
    return access.apiKeyId().stream()
        .mapToObj(key -> "tenant:" + tenantId.value() + "/key:" + key)
        .findFirst()
        .orElse("tenant:" + tenantId.value());
  }
}
