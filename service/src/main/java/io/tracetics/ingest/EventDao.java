package io.tracetics.ingest;

import io.tracetics.tenancy.AppId;
import io.tracetics.tenancy.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The ingest write path in MariaDB: usage counters (locked per tenant), the idempotency check, the
 * group's ingest_batches row and the events themselves in one bulk INSERT. Every method runs inside
 * the group-commit transaction of {@link GroupCommitWriter}.
 */
@RegisterConstructorMapper(EventDao.Usage.class)
@RegisterConstructorMapper(EventDao.Quota.class)
public interface EventDao extends SqlObject {

  /** A tenant's monthly counters and plan limit. */
  record Usage(long tenantId, long accepted, long rejected) {}

  /** A tenant's plan, as the quota check needs it. */
  record Quota(long tenantId, String planCode, long maxMonthlyEvents) {}

  /**
   * Locks the tenants' counter rows for this period, in tenant order (so concurrent groups on other
   * nodes cannot deadlock on them), waiting at most {@code lockWaitSeconds}. This serialises all
   * writes of one tenant, which makes the quota check and the duplicate check below exact.
   */
  @SqlQuery(
      """
      SET STATEMENT innodb_lock_wait_timeout = :lockWaitSeconds FOR
      SELECT tenant_id, accepted, rejected FROM usage_counters
      WHERE period = :period AND tenant_id IN (<tenantIds>)
      ORDER BY tenant_id FOR UPDATE
      """)
  List<Usage> lockUsage(
      @Bind("period") String period,
      @BindList("tenantIds") Collection<Long> tenantIds,
      @Bind("lockWaitSeconds") long lockWaitSeconds);

  /** Creates a tenant's counter row for a new period (holding its lock until commit). */
  @SqlUpdate("INSERT INTO usage_counters (tenant_id, period) VALUES (:tenantId, :period)")
  void insertUsage(@Bind("tenantId") long tenantId, @Bind("period") String period);

  @SqlQuery(
      """
      SELECT t.id AS tenant_id, p.code AS plan_code, p.max_monthly_events
      FROM tenants t JOIN plans p ON p.code = t.plan_code
      WHERE t.id IN (<tenantIds>)
      """)
  List<Quota> quotas(@BindList("tenantIds") Collection<Long> tenantIds);

  @SqlUpdate(
      """
      UPDATE usage_counters SET accepted = accepted + :accepted, rejected = rejected + :rejected
      WHERE tenant_id = :tenantId AND period = :period
      """)
  void addUsage(
      @Bind("tenantId") long tenantId,
      @Bind("period") String period,
      @Bind("accepted") long accepted,
      @Bind("rejected") long rejected);

  /** Which of these client event ids the app has stored already. */
  @SqlQuery(
      """
      SELECT client_event_id FROM events
      WHERE app_id = :appId AND client_event_id IN (<ids>)
      """)
  Set<String> storedClientIds(@Bind("appId") long appId, @BindList("ids") Collection<String> ids);

  /** The group's batch row; the loader's sequencer sets {@code seq} later, never ingest. */
  @SqlUpdate(
      "INSERT INTO ingest_batches (event_count, created_at_ms) VALUES (:eventCount, :createdAtMs)")
  @GetGeneratedKeys("id")
  long insertBatch(@Bind("eventCount") int eventCount, @Bind("createdAtMs") long createdAtMs);

  /** The current month's counters of one tenant (for usage reads). */
  @SqlQuery(
      """
      SELECT tenant_id, accepted, rejected FROM usage_counters
      WHERE tenant_id = :tenantId AND period = :period
      """)
  Optional<Usage> usage(@Bind("tenantId") TenantId tenantId, @Bind("period") String period);

  /**
   * Inserts the rows as one batched statement, which the MariaDB driver sends as a single bulk
   * command (binary rows, the statement parsed once), cheaper for the server than multi-row text.
   */
  default void insertEvents(long batchId, List<AppEvent> events, Connection connection)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insertSql(false))) {
      for (AppEvent row : events) {
        bindEvent(statement, row.app().value(), batchId, row.event());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** An event with the app it belongs to. */
  record AppEvent(AppId app, IngestEvent event) {}

  /**
   * The one-row INSERT of an event (ingest and import share it); with {@code ignoreDuplicates} an
   * event id the app has stored already is skipped instead of failing the statement.
   */
  static String insertSql(boolean ignoreDuplicates) {
    return (ignoreDuplicates ? "INSERT IGNORE" : "INSERT")
        + " INTO events (app_id, batch_id, user_identifier, event_name, event_time_ms,"
        + " received_at_ms, sent_at_ms, client_event_id, metadata) VALUES (?,?,?,?,?,?,?,?,?)";
  }

  /** Binds one event to {@link #insertSql}'s parameters. */
  static void bindEvent(PreparedStatement statement, long appId, long batchId, IngestEvent e)
      throws SQLException {
    statement.setLong(1, appId);
    statement.setLong(2, batchId);
    statement.setString(3, e.userIdentifier());
    statement.setString(4, e.eventName());
    statement.setLong(5, e.eventTimeMs());
    statement.setLong(6, e.receivedAtMs());
    if (e.sentAtMs() == null) {
      statement.setNull(7, Types.BIGINT);
    } else {
      statement.setLong(7, e.sentAtMs());
    }
    statement.setString(8, e.clientEventId());
    statement.setString(9, e.metadataJson());
  }
}
