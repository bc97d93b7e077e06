package io.tracetics.tenancy;

import io.tracetics.errors.ApiException;
import io.tracetics.ids.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Creating tenants, their plans, and managing their own credentials. */
public class TenantService {
  private final Jdbi jdbi;
  private final CredentialStore credentials;
  private final PlanCatalog plans;

  public TenantService(Jdbi jdbi, CredentialStore credentials, PlanCatalog plans) {
    this.jdbi = jdbi;
    this.credentials = credentials;
    this.plans = plans;
  }

  /** A new tenant on the default plan, with its tenant key and management token (shown once). */
  public CreatedTenant create(String name) {
    return createOnPlan(name, plans.defaultPlan());
  }

  /**
   * A new tenant on {@code plan} (null: the default plan). Naming a plan is the operator's choice
   * of plan, refused like {@link #setPlan} while Stripe manages plans.
   */
  public CreatedTenant create(String name, String plan) {
    if (plan == null) {
      return create(name);
    }
    requireOperatorManaged();
    requireOffered(plan);
    return createOnPlan(name, plan);
  }

  private CreatedTenant createOnPlan(String name, String plan) {
    return jdbi.inTransaction(
        handle -> {
          TenantDao tenants = handle.attach(TenantDao.class);
          CredentialDao credentialDao = handle.attach(CredentialDao.class);
          TenantId id = new TenantId(tenants.insert(name, plan));
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

  /** Tenants in id order after {@code afterId}; at most {@code limit}. */
  public List<TenantRow> list(long afterId, int limit) {
    return jdbi.withExtension(TenantDao.class, dao -> dao.page(afterId, limit));
  }

  /**
   * Moves a tenant to another plan. Nothing the tenant has is deleted: on a smaller plan only new
   * apps, funnels and events beyond its limits are refused.
   *
   * @throws ApiException 404 for an unknown tenant, 422 {@code unknown_plan}, 409 {@code
   *     plan_managed_by_stripe} while Stripe sets plans
   */
  public TenantRow setPlan(TenantId tenant, String plan) {
    return jdbi.inTransaction(
        handle -> {
          TenantDao dao = handle.attach(TenantDao.class);
          dao.lock(tenant).orElseThrow(() -> ApiException.notFound("Tenant", tenant));
          requireOffered(plan);
          requireOperatorManaged();
          dao.setPlan(tenant, plan);
          return dao.find(tenant).orElseThrow();
        });
  }

  private void requireOffered(String plan) {
    if (!plans.offers(plan)) {
      throw new ApiException(
          422,
          "unknown_plan",
          "No plan '" + plan + "'. Plans: " + String.join(", ", plans.codes()) + ".",
          Map.of("plans", plans.codes()));
    }
  }

  private void requireOperatorManaged() {
    if (plans.managedByStripe()) {
      throw new ApiException(
          409,
          "plan_managed_by_stripe",
          "Billing is on: tenants' plans follow their Stripe subscriptions and cannot be set here.");
    }
  }

  /**
   * Replaces the tenant key or the management token. The old one stops working at once on this node
   * and within the key cache TTL on others.
   */
  public String rotate(TenantId tenant, CredentialKind kind) {
    if (kind == CredentialKind.APP_KEY) {
      throw ApiException.badRequest("invalid_kind", "App keys are rotated per app");
    }
    List<CredentialRow> revoked = new ArrayList<>();
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
