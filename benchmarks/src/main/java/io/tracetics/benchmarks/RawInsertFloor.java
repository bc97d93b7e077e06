package io.tracetics.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.concurrent.TimeUnit;

/**
 * Floor (b) of the ingest benchmark: multi-row INSERTs of rows shaped like the batch load's into
 * the service's own events table, over one JDBC connection.
 */
final class RawInsertFloor {
  static final int ROWS_PER_STATEMENT = 500;
  static final int ROWS_PER_TRANSACTION = 5_000;

  private final String dbUrl;
  private final long appId;

  RawInsertFloor(String dbUrl, long appId) {
    this.dbUrl = dbUrl;
    this.appId = appId;
  }

  /** Inserts for {@code seconds}; rows/s as the result's event rate. */
  LoadResult run(int seconds) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO events (app_id, batch_id, user_identifier, event_name, event_time_ms,"
                + " received_at_ms, sent_at_ms, client_event_id, metadata) VALUES ");
    for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?)");
    }
    long rows = 0;
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    try (Connection connection = DriverManager.getConnection(dbUrl, "root", "");
        PreparedStatement insert = connection.prepareStatement(sql.toString())) {
      connection.setAutoCommit(false);
      while (System.nanoTime() < end) {
        for (int s = 0; s < ROWS_PER_TRANSACTION / ROWS_PER_STATEMENT; s++) {
          int p = 1;
          long now = System.currentTimeMillis();
          for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
            insert.setLong(p++, appId);
            insert.setLong(p++, 0);
            insert.setString(p++, "user_" + i);
            insert.setString(p++, "page_viewed");
            insert.setLong(p++, now);
            insert.setLong(p++, now);
            insert.setNull(p++, Types.BIGINT);
            insert.setNull(p++, Types.VARCHAR);
            insert.setString(p++, "{\"plan\":\"pro\",\"source\":\"landing_page\",\"i\":" + i + "}");
          }
          insert.executeUpdate();
          rows += ROWS_PER_STATEMENT;
        }
        connection.commit();
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new LoadResult(rows / elapsed, 0, 0, 0, 0);
  }
}
