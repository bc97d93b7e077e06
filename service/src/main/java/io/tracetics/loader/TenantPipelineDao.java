package io.tracetics.loader;

import io.tracetics.ids.TenantId;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** One tenant's share of the pipeline's backlog and failures, in MariaDB. */
@RegisterConstructorMapper(TenantPipelineDao.Backlog.class)
@RegisterConstructorMapper(TenantPipelineDao.AppCount.class)
interface TenantPipelineDao {

  /**
   * Per app, the committed events this node has not loaded yet: those of batches without an epoch
   * or with an epoch after {@code position}, minus quarantined ones. STRAIGHT_JOIN starts from the
   * (small) set of such batches on the seq index, never from all of an app's events.
   */
  @SqlQuery(
      """
      SELECT STRAIGHT_JOIN e.app_id AS app_id, COUNT(*) AS waiting,
             MIN(e.received_at_ms) AS oldest_received_at_ms,
             SUM(CASE WHEN e.received_at_ms >= :since THEN 1 ELSE 0 END) AS received_since
      FROM ingest_batches b
      JOIN events e ON e.batch_id = b.id
      JOIN tracked_apps a ON a.id = e.app_id
      LEFT JOIN quarantined_events q ON q.event_id = e.id
      WHERE (b.seq IS NULL OR b.seq > :position) AND a.tenant_id = :tenantId
        AND q.event_id IS NULL
      GROUP BY e.app_id
      """)
  List<Backlog> backlog(
      @Bind("tenantId") TenantId tenantId,
      @Bind("position") long position,
      @Bind("since") long sinceMillis);

  /** Per app, the events the loader quarantined (they will never be queryable). */
  @SqlQuery(
      """
      SELECT q.app_id AS app_id, COUNT(*) AS events
      FROM quarantined_events q JOIN tracked_apps a ON a.id = q.app_id
      WHERE a.tenant_id = :tenantId
      GROUP BY q.app_id
      """)
  List<AppCount> quarantined(@Bind("tenantId") TenantId tenantId);

  record Backlog(long appId, long waiting, long oldestReceivedAtMs, long receivedSince) {}

  record AppCount(long appId, long events) {}
}
