package io.tracetics.tenancy;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Tenants and the plans they are on. */
@RegisterRowMapper(TenancyMappers.TenantMapper.class)
@RegisterRowMapper(TenancyMappers.PlanMapper.class)
public interface TenantDao {
  String SELECT_TENANT =
      """
      SELECT t.id, t.name, t.created_at, t.subscription_status, t.current_period_end,
             p.code AS plan_code, p.name AS plan_name, p.max_apps AS plan_max_apps,
             p.max_funnels AS plan_max_funnels, p.max_monthly_events AS plan_max_monthly_events,
             p.sort_order AS plan_sort_order
      FROM tenants t JOIN plans p ON p.code = t.plan_code
      """;

  @SqlUpdate("INSERT INTO tenants (name, plan_code) VALUES (:name, :planCode)")
  @GetGeneratedKeys("id")
  long insert(@Bind("name") String name, @Bind("planCode") String planCode);

  @SqlQuery(SELECT_TENANT + " WHERE t.id = :tenantId")
  Optional<TenantRow> find(@Bind("tenantId") TenantId tenantId);

  /** Locks the tenant row for the rest of the transaction: serialises limit checks per tenant. */
  @SqlQuery(SELECT_TENANT + " WHERE t.id = :tenantId FOR UPDATE")
  Optional<TenantRow> lock(@Bind("tenantId") TenantId tenantId);

  @SqlQuery(
      "SELECT code, name, max_apps, max_funnels, max_monthly_events, sort_order FROM plans"
          + " ORDER BY sort_order")
  List<PlanRow> plans();

  @SqlQuery(
      "SELECT code, name, max_apps, max_funnels, max_monthly_events, sort_order FROM plans"
          + " WHERE code = :code")
  Optional<PlanRow> plan(@Bind("code") String code);
}
