package io.tracetics.tenancy;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Tracked apps. Every query is scoped by tenant; a deleted app is invisible. */
@RegisterRowMapper(TenancyMappers.AppMapper.class)
public interface AppDao {

  @SqlUpdate("INSERT INTO tracked_apps (tenant_id, name) VALUES (:tenantId, :name)")
  @GetGeneratedKeys("id")
  long insert(@Bind("tenantId") TenantId tenantId, @Bind("name") String name);

  @SqlQuery("SELECT COUNT(*) FROM tracked_apps WHERE tenant_id = :tenantId AND deleted_at IS NULL")
  int countLive(@Bind("tenantId") TenantId tenantId);

  @SqlQuery(
      """
      SELECT id, tenant_id, name, created_at FROM tracked_apps
      WHERE tenant_id = :tenantId AND id = :appId AND deleted_at IS NULL
      """)
  Optional<AppRow> find(@Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId);

  @SqlQuery(
      """
      SELECT id, tenant_id, name, created_at FROM tracked_apps
      WHERE tenant_id = :tenantId AND deleted_at IS NULL ORDER BY id
      """)
  List<AppRow> list(@Bind("tenantId") TenantId tenantId);

  @SqlQuery(
      """
      SELECT id, tenant_id, name, created_at FROM tracked_apps
      WHERE tenant_id = :tenantId AND deleted_at IS NULL AND id > :afterId ORDER BY id LIMIT :limit
      """)
  List<AppRow> page(
      @Bind("tenantId") TenantId tenantId, @Bind("afterId") long afterId, @Bind("limit") int limit);

  @SqlUpdate(
      """
      UPDATE tracked_apps SET deleted_at = CURRENT_TIMESTAMP(3)
      WHERE tenant_id = :tenantId AND id = :appId AND deleted_at IS NULL
      """)
  int softDelete(@Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId);
}
