package io.tracetics.importer;

import io.tracetics.ingest.IngestEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

/**
 * Stores imported events on one connection, each call one transaction: one {@code ingest_batches}
 * row, then the events carrying its id in multi-row {@code INSERT IGNORE} statements. The ignore
 * skips only what the {@code UNIQUE (app_id, client_event_id)} key refuses (every value was
 * validated by the API's rules before, so nothing else can be refused): an event id the app has
 * stored already, by ingest or an earlier import, is counted as a duplicate, exactly as ingest
 * answers a retried event. The batch row's {@code event_count} is then set to the rows really
 * inserted, before the commit, so the loader's count is exact; a batch with no new event is rolled
 * back and leaves nothing behind.
 */
final class BatchWriter implements AutoCloseable {
  static final int ROWS_PER_STATEMENT = 1_000;

  private final Connection connection;
  private final long appId;
  private final Clock clock;
  private PreparedStatement full;

  BatchWriter(Connection connection, long appId, Clock clock) throws SQLException {
    this.connection = connection;
    this.appId = appId;
    this.clock = clock;
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
  }

  /** Stores the events as one batch; returns how many were new (the rest were stored before). */
  int write(List<IngestEvent> events) throws SQLException {
    try {
      long now = clock.millis();
      long batchId;
      try (PreparedStatement batch =
          connection.prepareStatement(
              "INSERT INTO ingest_batches (event_count, created_at_ms) VALUES (?, ?)",
              Statement.RETURN_GENERATED_KEYS)) {
        batch.setInt(1, events.size());
        batch.setLong(2, now);
        batch.executeUpdate();
        try (ResultSet keys = batch.getGeneratedKeys()) {
          keys.next();
          batchId = keys.getLong(1);
        }
      }
      int inserted = 0;
      int from = 0;
      if (events.size() >= ROWS_PER_STATEMENT) {
        if (full == null) {
          full = connection.prepareStatement(insertSql(ROWS_PER_STATEMENT));
        }
        while (events.size() - from >= ROWS_PER_STATEMENT) {
          bind(full, batchId, now, events, from, ROWS_PER_STATEMENT);
          inserted += full.executeUpdate();
          from += ROWS_PER_STATEMENT;
        }
      }
      if (from < events.size()) {
        int rest = events.size() - from;
        try (PreparedStatement tail = connection.prepareStatement(insertSql(rest))) {
          bind(tail, batchId, now, events, from, rest);
          inserted += tail.executeUpdate();
        }
      }
      if (inserted == 0) {
        connection.rollback();
        return 0;
      }
      if (inserted != events.size()) {
        try (PreparedStatement count =
            connection.prepareStatement("UPDATE ingest_batches SET event_count = ? WHERE id = ?")) {
          count.setInt(1, inserted);
          count.setLong(2, batchId);
          count.executeUpdate();
        }
      }
      connection.commit();
      return inserted;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  private void bind(
      PreparedStatement statement,
      long batchId,
      long receivedAtMs,
      List<IngestEvent> events,
      int from,
      int count)
      throws SQLException {
    int p = 1;
    for (int i = from; i < from + count; i++) {
      IngestEvent e = events.get(i);
      statement.setLong(p++, appId);
      statement.setLong(p++, batchId);
      statement.setString(p++, e.userIdentifier());
      statement.setString(p++, e.eventName());
      statement.setLong(p++, e.eventTimeMs());
      statement.setLong(p++, receivedAtMs);
      statement.setString(p++, e.clientEventId());
      statement.setString(p++, e.metadataJson());
    }
  }

  private static String insertSql(int rows) {
    StringBuilder sql =
        new StringBuilder(
            "/* import */ INSERT IGNORE INTO events (app_id, batch_id, user_identifier, event_name,"
                + " event_time_ms, received_at_ms, client_event_id, metadata) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?)");
    }
    return sql.toString();
  }

  @Override
  public void close() throws SQLException {
    try {
      if (full != null) {
        full.close();
      }
    } finally {
      connection.rollback(); // nothing is open after write(); this only makes sure
      connection.setAutoCommit(true);
    }
  }
}
