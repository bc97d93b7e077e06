package io.tracetics.tenancy;

import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Tenants and the plans they are on. The plan of a {@link TenantRow} is the tenant's <em>effective
 * plan</em>: the plan whose limits apply right now (see {@link #EFFECTIVE_PLAN_CODE}). Every limit
 * check (apps, funnels, monthly events) reads it from here, so billing rules live in one place.
 */
@RegisterRowMapper(TenancyMappers.TenantMapper.class)
@RegisterRowMapper(TenancyMappers.PlanMapper.class)
public interface TenantDao {
  /**
   * The plan whose limits apply now, as SQL over {@code tenants t}. {@code tenants.plan_code} is
   * the plan the tenant subscribed to (written by the Stripe webhook, or set by the operator while
   * billing is off); it applies unless the subscription has lapsed:
   *
   * <ul>
   *   <li>status {@code incomplete}, {@code incomplete_expired}, {@code canceled} or {@code
   *       paused}: the free plan ({@link PlanCatalog#FREE});
   *   <li>status {@code past_due} or {@code unpaid}: the subscribed plan until {@code grace_until}
   *       (first failed payment + {@code stripe.graceDays}), then the free plan until a payment
   *       succeeds ({@code invoice.paid} clears the grace clock);
   *   <li>otherwise (active, trialing, or no subscription at all): the subscribed plan.
   * </ul>
   *
   * Nothing is ever deleted when the effective plan shrinks; only new apps, funnels and events
   * beyond its limits are refused.
   */
  String EFFECTIVE_PLAN_CODE =
      "CASE WHEN t.subscription_status"
          + " IN ('incomplete', 'incomplete_expired', 'canceled', 'paused') THEN '"
          + PlanCatalog.FREE
          + "' WHEN t.subscription_status IN ('past_due', 'unpaid') AND t.grace_until IS NOT NULL"
          + " AND t.grace_until <= UNIX_TIMESTAMP() THEN '"
          + PlanCatalog.FREE
          + "' ELSE t.plan_code END";

  String SELECT_TENANT =
      """
      SELECT t.id, t.name, t.created_at, t.subscription_status, t.current_period_end,
             p.code AS plan_code, p.name AS plan_name, p.max_apps AS plan_max_apps,
             p.max_funnels AS plan_max_funnels, p.max_cohorts AS plan_max_cohorts,
             p.max_monthly_events AS plan_max_monthly_events,
             p.sort_order AS plan_sort_order, p.available AS plan_available
      FROM tenants t JOIN plans p ON p.code =
      """
          + EFFECTIVE_PLAN_CODE;

  @SqlUpdate("INSERT INTO tenants (name, plan_code) VALUES (:name, :planCode)")
  @GetGeneratedKeys("id")
  long insert(@Bind("name") String name, @Bind("planCode") String planCode);

  @SqlQuery(SELECT_TENANT + " WHERE t.id = :tenantId")
  Optional<TenantRow> find(@Bind("tenantId") TenantId tenantId);

  /**
   * Locks the tenant row for the rest of the transaction (serialising limit checks per tenant) and
   * reads it. Only the tenant row is locked, not its plan's row, so tenants on the same plan never
   * wait for each other; the read after the lock sees the latest committed state.
   */
  default Optional<TenantRow> lock(TenantId tenantId) {
    if (lockRow(tenantId).isEmpty()) {
      return Optional.empty();
    }
    return find(tenantId);
  }

  @SqlQuery("SELECT id FROM tenants WHERE id = :tenantId FOR UPDATE")
  Optional<Long> lockRow(@Bind("tenantId") TenantId tenantId);

  /** Tenants in id order after {@code afterId}, at most {@code limit} of them. */
  @SqlQuery(SELECT_TENANT + " WHERE t.id > :afterId ORDER BY t.id LIMIT :limit")
  List<TenantRow> page(@Bind("afterId") long afterId, @Bind("limit") int limit);

  /**
   * Puts a tenant on a plan chosen by the operator (never while Stripe manages plans). Any
   * subscription state left from an earlier billing setup is cleared, so the chosen plan is the
   * effective one.
   */
  @SqlUpdate(
      """
      UPDATE tenants SET plan_code = :planCode, subscription_status = NULL,
        payment_failed_at = NULL, grace_until = NULL
      WHERE id = :tenantId
      """)
  int setPlan(@Bind("tenantId") TenantId tenantId, @Bind("planCode") String planCode);

  String SELECT_PLAN =
      "SELECT code, name, max_apps, max_funnels, max_cohorts, max_monthly_events, sort_order,"
          + " available"
          + " FROM plans";

  @SqlQuery(SELECT_PLAN + " WHERE code = :code")
  Optional<PlanRow> plan(@Bind("code") String code);
}
