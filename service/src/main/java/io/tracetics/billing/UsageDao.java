package io.tracetics.billing;

import io.tracetics.ids.TenantId;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The counts the usage endpoint reports against the plan's limits. */
interface UsageDao {
  @SqlQuery("SELECT COUNT(*) FROM tracked_apps WHERE tenant_id = :tenantId AND deleted_at IS NULL")
  long liveApps(@Bind("tenantId") TenantId tenantId);

  @SqlQuery("SELECT COUNT(*) FROM funnels WHERE tenant_id = :tenantId AND deleted_at IS NULL")
  long liveFunnels(@Bind("tenantId") TenantId tenantId);

  @SqlQuery("SELECT COUNT(*) FROM cohorts WHERE tenant_id = :tenantId AND deleted_at_ms IS NULL")
  long liveCohorts(@Bind("tenantId") TenantId tenantId);

  /** Events accepted this period (UTC month 'YYYY-MM'), as counted by ingest. */
  @SqlQuery("SELECT accepted FROM usage_counters WHERE tenant_id = :tenantId AND period = :period")
  Optional<Long> accepted(@Bind("tenantId") TenantId tenantId, @Bind("period") String period);

  @SqlQuery("SELECT rejected FROM usage_counters WHERE tenant_id = :tenantId AND period = :period")
  Optional<Long> rejected(@Bind("tenantId") TenantId tenantId, @Bind("period") String period);
}
