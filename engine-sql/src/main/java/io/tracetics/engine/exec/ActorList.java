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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.duckdb.DuckDBResultSet;

/**
 * An open page (or the whole) of a report cell's people, read once: its size, watermark and next
 * cursor are known at once; the people (or units) stream in key order ({@link ActorKey}), either
 * one by one ({@link #next()}) or as an Arrow IPC stream ({@link #writeArrow}), without holding
 * them in memory. It holds a read transaction on its own connection, so every part describes the
 * same state of the store. Close it (always).
 */
public final class ActorList implements AutoCloseable {
  /** Rows per Arrow record batch. */
  static final int ARROW_BATCH_ROWS = 4096;

  /** Memory for Arrow batches in flight (one batch at a time). */
  static final long ARROW_MEMORY_LIMIT = 128L * 1024 * 1024;

  private final Connection connection;
  private final long appId;
  private final int steps;
  private final boolean units;
  private final long total;
  private final Watermark watermark;
  private final Instant computedAt;
  private final Optional<ActorKey> nextAfter;
  private final Optional<ActorKey> after;
  private final long limit;
  private final AtomicBoolean closed = new AtomicBoolean();
  private PreparedStatement statement;
  private ResultSet rows;
  private Actor current;

  ActorList(
      Connection connection,
      long appId,
      int steps,
      boolean units,
      long total,
      Watermark watermark,
      Instant computedAt,
      Optional<ActorKey> nextAfter,
      Optional<ActorKey> after,
      long limit) {
    this.connection = connection;
    this.appId = appId;
    this.steps = steps;
    this.units = units;
    this.total = total;
    this.watermark = watermark;
    this.computedAt = computedAt;
    this.nextAfter = nextAfter;
    this.after = after;
    this.limit = limit;
  }

  /** Actors in the cell (all pages): the report's number for it at {@link #watermark()}. */
  public long total() {
    return total;
  }

  public Watermark watermark() {
    return watermark;
  }

  public Instant computedAt() {
    return computedAt;
  }

  /**
   * The cursor of the next page (the key of this one's last actor: a person key, or a unit value),
   * empty on the last page.
   */
  public Optional<ActorKey> nextAfter() {
    return nextAfter;
  }

  /** Moves to the next person of the page; false at its end. */
  public boolean next() {
    try {
      if (rows == null) {
        statement = prepare(pageSql(steps, units));
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
      ActorKey key =
          units ? new ActorKey.Unit(rows.getString(1)) : new ActorKey.Person(rows.getLong(1));
      current = new Actor(key, rows.getString(2), times);
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
      statement = prepare(SqlResources.get(units ? "actors/unit_arrow_page" : "actors/arrow_page"));
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
   * One page of the cell in key order (parameters: see {@link #prepare}): the key (a person key or
   * a unit value), the actor's identifier (the person's own, or the unit's value), its level, then
   * one column per step with that step's time as ISO-8601 text (NULL past the level). DuckDB
   * formats the times, column by column, far faster than a formatter per value in Java, and fixed
   * columns spare reading a list per row.
   */
  static String pageSql(int steps, boolean units) {
    StringBuilder sql = new StringBuilder("SELECT c.u, ");
    sql.append(units ? "c.u" : "us.user_identifier").append(", c.lvl");
    for (int k = 1; k <= steps; k++) {
      sql.append(", strftime(epoch_ms(c.tt[")
          .append(k)
          .append("]), '")
          .append(ISO_MILLIS)
          .append("')");
    }
    if (units) {
      return sql.append(
              "\nFROM actor_cell c\nWHERE ?::VARCHAR IS NULL OR c.u > ?\nORDER BY c.u\nLIMIT ?")
          .toString();
    }
    return sql.append(
            "\nFROM actor_cell c LEFT JOIN users us ON us.app_id = ? AND us.user_key = c.u\n"
                + "WHERE c.u > ?\nORDER BY c.u\nLIMIT ?")
        .toString();
  }

  /** strftime's pattern for ISO-8601 UTC with milliseconds ({@code epoch_ms} gives UTC). */
  static final String ISO_MILLIS = "%Y-%m-%dT%H:%M:%S.%gZ";

  /**
   * A page statement with its parameters: for persons the app, the cursor's person key ({@link
   * ActorsExecutor#START} before the first page) and the page size; for units the cursor's value
   * twice (NULL before the first page) and the page size.
   */
  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql);
    int i = 1;
    if (!units) {
      ps.setLong(i++, appId);
    }
    i = bindAfter(ps, i, after, units);
    ps.setLong(i, limit);
    return ps;
  }

  /**
   * Binds the cursor from parameter {@code i} on, as the page statements take it; returns the next
   * parameter's index.
   */
  static int bindAfter(PreparedStatement ps, int i, Optional<ActorKey> after, boolean units)
      throws SQLException {
    if (units) {
      String value = after.map(k -> ((ActorKey.Unit) k).value()).orElse(null);
      ps.setString(i, value);
      ps.setString(i + 1, value);
      return i + 2;
    }
    ps.setLong(i, after.map(k -> ((ActorKey.Person) k).key()).orElse(ActorsExecutor.START));
    return i + 1;
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
