package io.tracetics.ingest;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** The one-row INSERT of an event into MariaDB's {@code events}, shared by ingest and import. */
public final class EventDao {
  private EventDao() {}

  /**
   * The INSERT's SQL; with {@code ignoreDuplicates} an event id the app has stored already is
   * skipped instead of failing the statement.
   */
  public static String insertSql(boolean ignoreDuplicates) {
    return (ignoreDuplicates ? "INSERT IGNORE" : "INSERT")
        + " INTO events (app_id, batch_id, user_identifier, event_name, event_time_ms,"
        + " received_at_ms, sent_at_ms, client_event_id, metadata) VALUES (?,?,?,?,?,?,?,?,?)";
  }

  /** Binds one event to {@link #insertSql}'s parameters. */
  public static void bindEvent(PreparedStatement statement, long appId, long batchId, IngestEvent e)
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
