package io.tracetics.importer;

import io.tracetics.ingest.BatchInsert;
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
 * row, then the events carrying its id in one batched {@code INSERT IGNORE}, with ingest's own
 * statements ({@link BatchInsert}). The ignore skips only what the {@code UNIQUE (app_id,
 * client_event_id)} key refuses (every value was validated by the API's rules before, so nothing
 * else can be refused): an event id the app has stored already, by ingest or an earlier import, is
 * counted as a duplicate, exactly as ingest answers a retried event. The batch row's {@code
 * event_count} is then set to the rows really inserted, before the commit, so the loader's count is
 * exact; a batch with no new event is rolled back and leaves nothing behind.
 */
final class BatchWriter implements AutoCloseable {
  private static final String COUNT = "SELECT COUNT(*) FROM events WHERE batch_id = ?";

  private final Connection connection;
  private final long appId;
  private final Clock clock;
  private final BatchInsert inserts;

  BatchWriter(Connection connection, long appId, Clock clock) throws SQLException {
    this.connection = connection;
    this.appId = appId;
    this.clock = clock;
    this.inserts = new BatchInsert(connection, true);
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
  }

  /** Stores the events as one batch; returns how many were new (the rest were stored before). */
  int write(List<IngestEvent> events) throws SQLException {
    try {
      long batchId = inserts.insertBatch(events.size(), clock.millis());
      int inserted = inserted(inserts.insertEvents(batchId, appId, events), batchId);
      if (inserted == 0) {
        connection.rollback();
        return 0;
      }
      if (inserted != events.size()) {
        inserts.setEventCount(batchId, inserted);
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

  /**
   * The rows the batch really inserted. A bulk execution reports {@link Statement#SUCCESS_NO_INFO}
   * per row on servers that do not return unit results; then the rows carrying the batch id are
   * counted, inside the same transaction.
   */
  private int inserted(int[] counts, long batchId) throws SQLException {
    int inserted = 0;
    for (int count : counts) {
      if (count < 0) {
        try (PreparedStatement query = connection.prepareStatement(COUNT)) {
          query.setLong(1, batchId);
          try (ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
          }
        }
      }
      inserted += count;
    }
    return inserted;
  }

  @Override
  public void close() throws SQLException {
    try {
      inserts.close();
    } finally {
      connection.rollback(); // nothing is open after write(); this only makes sure
      connection.setAutoCommit(true);
    }
  }
}
