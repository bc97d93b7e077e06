package io.tracetics.loader;

import io.tracetics.engine.store.EventRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** An event as read from the system of record. */
public record SourceEvent(
    long id,
    long appId,
    String userIdentifier,
    String eventName,
    long eventTimeMs,
    long receivedAtMs,
    String metadata) {

  /**
   * Maps {@code id, app_id, user_identifier, event_name, event_time_ms, received_at_ms, metadata}
   * by position: the loader reads every event once, so it skips the reflective constructor mapper.
   */
  public static final class Mapper implements RowMapper<SourceEvent> {
    @Override
    public SourceEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new SourceEvent(
          rs.getLong(1),
          rs.getLong(2),
          rs.getString(3),
          rs.getString(4),
          rs.getLong(5),
          rs.getLong(6),
          rs.getString(7));
    }
  }

  public EventRow toRow() {
    return new EventRow(id, appId, userIdentifier, eventName, eventTimeMs, receivedAtMs, metadata);
  }
}
