package io.tracetics.ingest;

import io.tracetics.tenancy.TenantDao;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The group commit's statements in MariaDB: usage counters (locked per tenant), plan limits, the
 * idempotency check, and the group's ingest_batches row with its events ({@link BatchInsert}, the
 * one place that inserts events). Every method runs inside the transaction of {@link
 * GroupCommitWriter}.
 *
 * <p>Plain JDBC on the writer's own driver connection, with its statements prepared once: this runs
 * for every group at the full ingest rate, where a statement through the SQL-object layer and the
 * pool's reflective statement proxy cost more CPU than MariaDB spent executing it. One instance
 * belongs to one writer connection and is closed with it.
 */
final class GroupCommitStatements implements AutoCloseable {
  /** A tenant's monthly counters. */
  record Usage(long tenantId, long accepted, long rejected) {}

  /** A tenant's effective plan, as the quota check needs it; a null limit is no limit. */
  record Quota(long tenantId, String planCode, Long maxMonthlyEvents) {}

  private static final String INSERT_USAGE =
      "INSERT INTO usage_counters (tenant_id, period) VALUES (?, ?)";
  private static final String ADD_USAGE =
      "UPDATE usage_counters SET accepted = accepted + ?, rejected = rejected + ?"
          + " WHERE tenant_id = ? AND period = ?";

  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();
  private final BatchInsert batches;

  /** {@code connection}: the driver's own connection under the pool's proxy, already in use. */
  GroupCommitStatements(Connection connection) {
    this.connection = connection;
    this.batches = new BatchInsert(connection, false);
  }

  private static final int MAX_PREPARED = 32;

  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = prepared.get(sql);
    if (statement == null) {
      if (prepared.size() >= MAX_PREPARED) {
        closePrepared(); // many tenant counts seen: start over rather than hold them without bound
      }
      statement = connection.prepareStatement(sql);
      prepared.put(sql, statement);
    }
    return statement;
  }

  /** One row of a result, read into a value. */
  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Binds {@code values} from parameter {@code first} on, runs the query and reads every row. */
  private static <T, V> List<T> query(
      PreparedStatement statement, int first, Collection<V> values, RowReader<T> reader)
      throws SQLException {
    int p = first;
    for (V value : values) {
      statement.setObject(p++, value);
    }
    List<T> rows = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        rows.add(reader.read(rs));
      }
    }
    return rows;
  }

  private static String placeholders(int count) {
    return String.join(",", Collections.nCopies(count, "?"));
  }

  /**
   * Locks the tenants' counter rows for this period, in tenant order (so concurrent groups on other
   * nodes cannot deadlock on them), waiting at most {@code lockWaitSeconds}. This serialises all
   * writes of one tenant, which makes the quota check and the duplicate check exact.
   */
  List<Usage> lockUsage(String period, Collection<Long> tenantIds, long lockWaitSeconds)
      throws SQLException {
    PreparedStatement statement =
        prepare(
            "SET STATEMENT innodb_lock_wait_timeout = ? FOR"
                + " SELECT tenant_id, accepted, rejected FROM usage_counters"
                + " WHERE period = ? AND tenant_id IN ("
                + placeholders(tenantIds.size())
                + ") ORDER BY tenant_id FOR UPDATE");
    statement.setLong(1, lockWaitSeconds);
    statement.setString(2, period);
    return query(
        statement, 3, tenantIds, rs -> new Usage(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
  }

  /** Creates a tenant's counter row for a new period (holding its lock until commit). */
  void insertUsage(long tenantId, String period) throws SQLException {
    PreparedStatement statement = prepare(INSERT_USAGE);
    statement.setLong(1, tenantId);
    statement.setString(2, period);
    statement.executeUpdate();
  }

  /** The tenants' effective plans: the same rule as every other limit ({@link TenantDao}). */
  List<Quota> quotas(Collection<Long> tenantIds) throws SQLException {
    PreparedStatement statement =
        prepare(
            "SELECT t.id, p.code, p.max_monthly_events FROM tenants t JOIN plans p ON p.code = "
                + TenantDao.EFFECTIVE_PLAN_CODE
                + " WHERE t.id IN ("
                + placeholders(tenantIds.size())
                + ")");
    return query(
        statement,
        1,
        tenantIds,
        rs -> new Quota(rs.getLong(1), rs.getString(2), rs.getObject(3, Long.class)));
  }

  void addUsage(long tenantId, String period, long accepted, long rejected) throws SQLException {
    PreparedStatement statement = prepare(ADD_USAGE);
    statement.setLong(1, accepted);
    statement.setLong(2, rejected);
    statement.setLong(3, tenantId);
    statement.setString(4, period);
    statement.executeUpdate();
  }

  /**
   * Which of these client event ids the app has stored already. Not kept prepared: the id count
   * differs from group to group.
   */
  Set<String> storedClientIds(long appId, List<String> ids) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT client_event_id FROM events WHERE app_id = ? AND client_event_id IN ("
                + placeholders(ids.size())
                + ")")) {
      statement.setLong(1, appId);
      return new HashSet<>(query(statement, 2, ids, rs -> rs.getString(1)));
    }
  }

  /** The group's batch row, returning its id. */
  long insertBatch(int eventCount, long createdAtMs) throws SQLException {
    return batches.insertBatch(eventCount, createdAtMs);
  }

  /** The group's events, in one bulk INSERT into batch {@code batchId}. */
  void insertEvents(long batchId, List<BatchInsert.AppEvent> events) throws SQLException {
    batches.insertEvents(batchId, events);
  }

  @Override
  public void close() {
    batches.close();
    closePrepared();
  }

  private void closePrepared() {
    for (PreparedStatement statement : prepared.values()) {
      try {
        statement.close();
      } catch (SQLException e) {
        // the connection is going away or broken; nothing to keep
      }
    }
    prepared.clear();
  }
}
