package io.tracetics.cohorts;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Cohorts, their members and their changes for the loader, in MariaDB. */
@RegisterConstructorMapper(CohortDao.CohortRow.class)
@RegisterConstructorMapper(CohortDao.MemberRow.class)
public interface CohortDao {

  /** A cohort row. */
  record CohortRow(
      long id, long tenantId, long appId, String name, int memberCount, long createdAtMs) {}

  /** A member with its id, the key of member pages. */
  record MemberRow(long id, String userIdentifier) {}

  @SqlQuery("SELECT COUNT(*) FROM cohorts WHERE tenant_id = :tenantId AND deleted_at_ms IS NULL")
  int countLive(@Bind("tenantId") TenantId tenant);

  @SqlUpdate(
      """
      INSERT INTO cohorts (tenant_id, app_id, name, member_count, created_at_ms)
      VALUES (:tenantId, :appId, :name, :memberCount, :now)
      """)
  @GetGeneratedKeys("id")
  long insert(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("name") String name,
      @Bind("memberCount") int memberCount,
      @Bind("now") long nowMs);

  @SqlBatch(
      "INSERT INTO cohort_members (cohort_id, user_identifier) VALUES (:cohortId, :identifier)")
  void insertMembers(@Bind("cohortId") long cohortId, @Bind("identifier") List<String> members);

  String SELECT =
      "SELECT id, tenant_id, app_id, name, member_count, created_at_ms FROM cohorts"
          + " WHERE tenant_id = :tenantId AND app_id = :appId AND deleted_at_ms IS NULL";

  @SqlQuery(SELECT + " AND id = :cohortId")
  Optional<CohortRow> find(
      @Bind("tenantId") TenantId tenant, @Bind("appId") AppId app, @Bind("cohortId") long id);

  @SqlQuery(SELECT + " ORDER BY id")
  List<CohortRow> list(@Bind("tenantId") TenantId tenant, @Bind("appId") AppId app);

  @SqlQuery(SELECT + " AND id > :afterId ORDER BY id LIMIT :limit")
  List<CohortRow> page(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("afterId") long afterId,
      @Bind("limit") int limit);

  /** Which of {@code ids} are live cohorts of the app. */
  @SqlQuery(SELECT + " AND id IN (<ids>)")
  List<CohortRow> findAll(
      @Bind("tenantId") TenantId tenant, @Bind("appId") AppId app, @BindList("ids") List<Long> ids);

  @SqlUpdate(
      """
      UPDATE cohorts SET deleted_at_ms = :now
      WHERE tenant_id = :tenantId AND app_id = :appId AND id = :cohortId AND deleted_at_ms IS NULL
      """)
  int softDelete(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("cohortId") long id,
      @Bind("now") long nowMs);

  @SqlQuery(
      """
      SELECT id, user_identifier FROM cohort_members
      WHERE cohort_id = :cohortId AND id > :after ORDER BY id LIMIT :limit
      """)
  List<MemberRow> members(
      @Bind("cohortId") long cohortId, @Bind("after") long afterId, @Bind("limit") int limit);

  /** A new ingest batch for a change: the sequencer gives it its epoch like events'. */
  @SqlUpdate("INSERT INTO ingest_batches (event_count, created_at_ms) VALUES (:count, :now)")
  @GetGeneratedKeys("id")
  long insertBatch(@Bind("count") int count, @Bind("now") long nowMs);

  @SqlUpdate(
      """
      INSERT INTO cohort_changes (batch_id, app_id, cohort_id, kind)
      VALUES (:batchId, :appId, :cohortId, :kind)
      """)
  void insertChange(
      @Bind("batchId") long batchId,
      @Bind("appId") AppId app,
      @Bind("cohortId") long cohortId,
      @Bind("kind") String kind);
}
