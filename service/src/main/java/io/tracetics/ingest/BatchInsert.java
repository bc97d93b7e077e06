package io.tracetics.ingest;

import io.tracetics.ids.AppId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/**
 * Inserting a batch of events in MariaDB: one {@code ingest_batches} row, then the events carrying
 * its id as one batched INSERT, which the MariaDB driver sends as a single bulk command (binary
 * rows, the statement parsed once), cheaper for the server than multi-row text. The loader's
 * sequencer sets the batch's {@code seq} later.
 *
 * <p>Both writers of events use it on their own connection, inside their own transaction: ingest's
 * group commit ({@link GroupCommitStatements}, on the writer's driver connection) and the importer.
 * Its statements are prepared once per connection and closed with it.
 */
public final class BatchInsert implements AutoCloseable {
  /** An event with the app it belongs to. */
  public record AppEvent(AppId app, IngestEvent event) {}

  private static final String INSERT_BATCH =
      "INSERT INTO ingest_batches (event_count, created_at_ms) VALUES (?, ?)";

  private final Connection connection;
  private final boolean ignoreDuplicates;
  private PreparedStatement batch;
  private PreparedStatement events;

  /**
   * {@code ignoreDuplicates}: an event id the app has stored already is skipped ({@code INSERT
   * IGNORE}) instead of failing the statement.
   */
  public BatchInsert(Connection connection, boolean ignoreDuplicates) {
    this.connection = connection;
    this.ignoreDuplicates = ignoreDuplicates;
  }

  /** Inserts the batch row for {@code eventCount} events, returning its id. */
  public long insertBatch(int eventCount, long createdAtMs) throws SQLException {
    if (batch == null) {
      batch = connection.prepareStatement(INSERT_BATCH, Statement.RETURN_GENERATED_KEYS);
    }
    batch.setInt(1, eventCount);
    batch.setLong(2, createdAtMs);
    batch.executeUpdate();
    try (ResultSet keys = batch.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("no id came back for the new ingest_batches row");
      }
      return keys.getLong(1);
    }
  }

  /**
   * Corrects a batch row's event count to the rows really inserted (when an {@code INSERT IGNORE}
   * skipped some), before the commit, so the loader's count is exact.
   */
  public void setEventCount(long batchId, int eventCount) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE ingest_batches SET event_count = ? WHERE id = ?")) {
      statement.setInt(1, eventCount);
      statement.setLong(2, batchId);
      statement.executeUpdate();
    }
  }

  /** Inserts events of several apps into batch {@code batchId}; the driver's counts per row. */
  public int[] insertEvents(long batchId, List<AppEvent> rows) throws SQLException {
    PreparedStatement statement = events();
    for (AppEvent row : rows) {
      bind(statement, row.app().value(), batchId, row.event());
      statement.addBatch();
    }
    return statement.executeBatch();
  }

  /** Inserts events of one app into batch {@code batchId}; the driver's counts per row. */
  public int[] insertEvents(long batchId, long appId, List<IngestEvent> rows) throws SQLException {
    PreparedStatement statement = events();
    for (IngestEvent event : rows) {
      bind(statement, appId, batchId, event);
      statement.addBatch();
    }
    return statement.executeBatch();
  }

  private PreparedStatement events() throws SQLException {
    if (events == null) {
      events =
          connection.prepareStatement(
              (ignoreDuplicates ? "INSERT IGNORE" : "INSERT")
                  + " INTO events (app_id, batch_id, user_identifier, event_name, event_time_ms,"
                  + " received_at_ms, sent_at_ms, client_event_id, metadata)"
                  + " VALUES (?,?,?,?,?,?,?,?,?)");
    }
    return events;
  }

  private static void bind(PreparedStatement statement, long appId, long batchId, IngestEvent e)
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

  /** Closes the prepared statements (the connection stays open). */
  @Override
  public void close() {
    for (PreparedStatement statement : new PreparedStatement[] {batch, events}) {
      if (statement != null) {
        try {
          statement.close();
        } catch (SQLException e) {
          // the connection is going away or broken; nothing to keep
        }
      }
    }
    batch = null;
    events = null;
  }
}
