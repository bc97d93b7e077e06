package io.tracetics.engine.exec;

import io.tracetics.engine.store.SqlResources;
import io.tracetics.engine.store.StoreException;
import io.tracetics.engine.store.Watermark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.duckdb.DuckDBResultSet;

/**
 * An open page (or the whole) of a report cell's people, read once: its size, watermark and next
 * cursor are known at once; the people stream in person key order, either one by one ({@link
 * #next()}) or as an Arrow IPC stream ({@link #writeArrow}), without holding them in memory. It
 * holds a read transaction on its own connection, so every part describes the same state of the
 * store. Close it (always).
 */
public final class ActorList implements AutoCloseable {
  /** Rows per Arrow record batch. */
  static final int ARROW_BATCH_ROWS = 4096;

  /** Memory for Arrow batches in flight (one batch at a time). */
  static final long ARROW_MEMORY_LIMIT = 128L * 1024 * 1024;

  private final Connection connection;
  private final long appId;
  private final int steps;
  private final long total;
  private final Watermark watermark;
  private final Instant computedAt;
  private final OptionalLong nextAfter;
  private final long after;
  private final long limit;
  private final AtomicBoolean closed = new AtomicBoolean();
  private PreparedStatement statement;
  private ResultSet rows;
  private Actor current;

  ActorList(
      Connection connection,
      long appId,
      int steps,
      long total,
      Watermark watermark,
      Instant computedAt,
      OptionalLong nextAfter,
      long after,
      long limit) {
    this.connection = connection;
    this.appId = appId;
    this.steps = steps;
    this.total = total;
    this.watermark = watermark;
    this.computedAt = computedAt;
    this.nextAfter = nextAfter;
    this.after = after;
    this.limit = limit;
  }

  /** People in the cell (all pages): the report's number for it at {@link #watermark()}. */
  public long total() {
    return total;
  }

  public Watermark watermark() {
    return watermark;
  }

  public Instant computedAt() {
    return computedAt;
  }

  /** The cursor of the next page (the last person key of this one), empty on the last page. */
  public OptionalLong nextAfter() {
    return nextAfter;
  }

  /** Moves to the next person of the page; false at its end. */
  public boolean next() {
    try {
      if (rows == null) {
        statement = prepare(pageSql(steps));
        rows = statement.executeQuery();
      }
      if (!rows.next()) {
        current = null;
        return false;
      }
      int level = rows.getInt(3);
      List<String> times = new ArrayList<>(level);
      for (int k = 0; k < level; k++) {
        times.add(rows.getString(4 + k));
      }
      current = new Actor(rows.getLong(1), rows.getString(2), times);
      return true;
    } catch (SQLException e) {
      throw new StoreException("reading a funnel's actors failed", e);
    }
  }

  /** The person {@link #next()} moved to. */
  public Actor actor() {
    if (current == null) {
      throw new IllegalStateException("no current actor: call next() first");
    }
    return current;
  }

  /**
   * Writes the page as an Arrow IPC stream: {@code user_identifier}, {@code entered_at} and {@code
   * step_times} (timestamps in UTC), {@code reached_step}. Use instead of {@link #next()}.
   */
  public void writeArrow(OutputStream out) throws IOException {
    if (rows != null) {
      throw new IllegalStateException("rows were already read");
    }
    try {
      statement = prepare(SqlResources.get("actors/arrow_page"));
      rows = statement.executeQuery();
      try (BufferAllocator allocator = new RootAllocator(ARROW_MEMORY_LIMIT);
          ArrowReader reader =
              (ArrowReader)
                  rows.unwrap(DuckDBResultSet.class)
                      .arrowExportStream(allocator, ARROW_BATCH_ROWS);
          ArrowStreamWriter writer =
              new ArrowStreamWriter(reader.getVectorSchemaRoot(), null, Channels.newChannel(out))) {
        writer.start();
        while (reader.loadNextBatch()) {
          if (reader.getVectorSchemaRoot().getRowCount() > 0) {
            writer.writeBatch();
          }
        }
        writer.end();
      }
    } catch (SQLException e) {
      throw new StoreException("reading a funnel's actors failed", e);
    }
  }

  /**
   * One page of the cell in person key order (parameters: the app, the cursor, the page size): the
   * person key, its own identifier, its level, then one column per step with that step's time as
   * ISO-8601 text (NULL past the level). DuckDB formats the times, column by column, far faster
   * than a formatter per value in Java, and fixed columns spare reading a list per row.
   */
  static String pageSql(int steps) {
    StringBuilder sql = new StringBuilder("SELECT c.u, us.user_identifier, c.lvl");
    for (int k = 1; k <= steps; k++) {
      sql.append(", strftime(epoch_ms(c.tt[")
          .append(k)
          .append("]), '")
          .append(ISO_MILLIS)
          .append("')");
    }
    return sql.append(
            "\nFROM actor_cell c LEFT JOIN users us ON us.app_id = ? AND us.user_key = c.u\n"
                + "WHERE c.u > ?\nORDER BY c.u\nLIMIT ?")
        .toString();
  }

  /** strftime's pattern for ISO-8601 UTC with milliseconds ({@code epoch_ms} gives UTC). */
  static final String ISO_MILLIS = "%Y-%m-%dT%H:%M:%S.%gZ";

  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql);
    ps.setLong(1, appId);
    ps.setLong(2, after);
    ps.setLong(3, limit);
    return ps;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (rows != null) {
        rows.close();
      }
      if (statement != null) {
        statement.close();
      }
      connection.rollback();
    } catch (SQLException e) {
      // closing the connection below ends the transaction and drops the temporary table
    } finally {
      try {
        connection.close();
      } catch (SQLException e) {
        // nothing more to free
      }
    }
  }
}
