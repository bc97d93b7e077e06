package io.tracetics.funnels;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Saved funnels, scoped by tenant and app; a deleted funnel is invisible. */
@RegisterConstructorMapper(FunnelRow.class)
@RegisterConstructorMapper(FunnelDao.StepRow.class)
public interface FunnelDao {
  String COLUMNS =
      "id, tenant_id, app_id, name, window_seconds, order_mode, options, version, created_at,"
          + " updated_at";

  @SqlUpdate(
      """
      INSERT INTO funnels (tenant_id, app_id, name, window_seconds, order_mode, options)
      VALUES (:tenantId, :appId, :name, :windowSeconds, :orderMode, :options)
      """)
  @GetGeneratedKeys("id")
  long insert(
      @Bind("tenantId") TenantId tenantId,
      @Bind("appId") AppId appId,
      @Bind("name") String name,
      @Bind("windowSeconds") long windowSeconds,
      @Bind("orderMode") String orderMode,
      @Bind("options") String options);

  @SqlUpdate(
      """
      UPDATE funnels SET name = :name, window_seconds = :windowSeconds, order_mode = :orderMode,
             options = :options, version = version + 1, updated_at = CURRENT_TIMESTAMP(3)
      WHERE tenant_id = :tenantId AND app_id = :appId AND id = :id AND deleted_at IS NULL
      """)
  int update(
      @Bind("tenantId") TenantId tenantId,
      @Bind("appId") AppId appId,
      @Bind("id") long id,
      @Bind("name") String name,
      @Bind("windowSeconds") long windowSeconds,
      @Bind("orderMode") String orderMode,
      @Bind("options") String options);

  @SqlBatch(
      "INSERT INTO funnel_steps (funnel_id, step_index, event_name, filters, details)"
          + " VALUES (:funnelId, :stepIndex, :eventName, :filters, :details)")
  void insertSteps(
      @Bind("funnelId") long funnelId,
      @Bind("stepIndex") List<Integer> stepIndex,
      @Bind("eventName") List<String> eventName,
      @Bind("filters") List<String> filters,
      @Bind("details") List<String> details);

  @SqlUpdate("DELETE FROM funnel_steps WHERE funnel_id = :funnelId")
  void deleteSteps(@Bind("funnelId") long funnelId);

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM funnels WHERE tenant_id = :tenantId AND app_id = :appId AND id = :id"
          + " AND deleted_at IS NULL")
  Optional<FunnelRow> find(
      @Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId, @Bind("id") long id);

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM funnels WHERE tenant_id = :tenantId AND app_id = :appId AND deleted_at IS NULL"
          + " ORDER BY id")
  List<FunnelRow> list(@Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId);

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM funnels WHERE tenant_id = :tenantId AND app_id = :appId AND deleted_at IS NULL"
          + " AND id > :afterId ORDER BY id LIMIT :limit")
  List<FunnelRow> page(
      @Bind("tenantId") TenantId tenantId,
      @Bind("appId") AppId appId,
      @Bind("afterId") long afterId,
      @Bind("limit") int limit);

  /** Every live funnel of an app, whatever the tenant (the app id is already trusted). */
  @SqlQuery("SELECT " + COLUMNS + " FROM funnels WHERE app_id = :appId AND deleted_at IS NULL")
  List<FunnelRow> liveOfApp(@Bind("appId") long appId);

  @SqlQuery(
      "SELECT funnel_id, step_index, event_name, filters, details FROM funnel_steps"
          + " WHERE funnel_id = :funnelId ORDER BY step_index")
  List<StepRow> steps(@Bind("funnelId") long funnelId);

  @SqlQuery("SELECT COUNT(*) FROM funnels WHERE tenant_id = :tenantId AND deleted_at IS NULL")
  int countLive(@Bind("tenantId") TenantId tenantId);

  @SqlUpdate(
      """
      UPDATE funnels SET deleted_at = CURRENT_TIMESTAMP(3)
      WHERE tenant_id = :tenantId AND app_id = :appId AND id = :id AND deleted_at IS NULL
      """)
  int softDelete(
      @Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId, @Bind("id") long id);

  /** One stored step. */
  record StepRow(long funnelId, int stepIndex, String eventName, String filters, String details) {}
}
