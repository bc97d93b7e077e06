package io.tracetics.tenancy;

import io.tracetics.errors.ApiException;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Creating tenants and managing their own credentials. */
public class TenantService {
  public static final String DEFAULT_PLAN = "free";

  private final Jdbi jdbi;
  private final CredentialStore credentials;

  public TenantService(Jdbi jdbi, CredentialStore credentials) {
    this.jdbi = jdbi;
    this.credentials = credentials;
  }

  /** A new tenant on the free plan, with its tenant key and management token (shown once). */
  public CreatedTenant create(String name) {
    return jdbi.inTransaction(
        handle -> {
          TenantDao tenants = handle.attach(TenantDao.class);
          CredentialDao credentialDao = handle.attach(CredentialDao.class);
          TenantId id = new TenantId(tenants.insert(name, DEFAULT_PLAN));
          String tenantKey =
              CredentialStore.issue(credentialDao, id, null, CredentialKind.TENANT_KEY);
          String managementToken =
              CredentialStore.issue(credentialDao, id, null, CredentialKind.MANAGEMENT_TOKEN);
          TenantRow row = tenants.find(id).orElseThrow();
          return new CreatedTenant(row, tenantKey, managementToken);
        });
  }

  public TenantRow get(TenantId id) {
    return jdbi.withExtension(TenantDao.class, dao -> dao.find(id))
        .orElseThrow(() -> ApiException.notFound("Tenant", id));
  }

  public List<PlanRow> plans() {
    return jdbi.withExtension(TenantDao.class, TenantDao::plans);
  }

  /**
   * Replaces the tenant key or the management token. The old one stops working at once on this node
   * and within the key cache TTL on others.
   */
  public String rotate(TenantId tenant, CredentialKind kind) {
    if (kind == CredentialKind.APP_KEY) {
      throw ApiException.badRequest("invalid_kind", "App keys are rotated per app");
    }
    List<CredentialRow> revoked = new java.util.ArrayList<>();
    String secret =
        jdbi.inTransaction(
            handle -> {
              CredentialDao dao = handle.attach(CredentialDao.class);
              revoked.addAll(dao.live(tenant, kind.dbValue(), null));
              dao.revoke(tenant, kind.dbValue(), null);
              return CredentialStore.issue(dao, tenant, null, kind);
            });
    credentials.invalidate(revoked);
    return secret;
  }

  /** A freshly created tenant and its secrets. */
  public record CreatedTenant(TenantRow tenant, String tenantKey, String managementToken) {}
}
