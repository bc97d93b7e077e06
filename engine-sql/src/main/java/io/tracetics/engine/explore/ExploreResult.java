package io.tracetics.engine.explore;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.duckdb.DuckDBResultSet;

/**
 * A running exploration query: its columns, then its rows, read once, either row by row ({@link
 * #next()}, for JSON and CSV) or as an Arrow IPC stream ({@link #writeArrow}). At most {@link
 * ExploreLimits#maxRows()} rows come out; {@link #truncated()} says whether more existed. Reading
 * past the time limit throws a timeout. Close it (always): that stops the query and frees its slot.
 */
public final class ExploreResult implements AutoCloseable {
  /** A result column: its name and DuckDB type name. */
  public record Column(String name, String type) {}

  /** A value of a JSON column, as JSON text (to embed as JSON, not as a string). */
  public record JsonText(String json) {}

  /** Rows per Arrow record batch. */
  static final int ARROW_BATCH_ROWS = 4096;

  /** Memory for Arrow batches in flight (one batch at a time is in memory). */
  static final long ARROW_MEMORY_LIMIT = 256L * 1024 * 1024;

  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet rows;
  private final ExploreLimits limits;
  private final long startedNanos;
  private final long deadlineNanos;
  private final Runnable release;
  private final List<Column> columns;
  private final Kind[] kinds;
  private final AtomicBoolean closed = new AtomicBoolean();
  private long rowCount;
  private boolean truncated;
  private boolean done;

  private enum Kind {
    NUMBER,
    BOOLEAN,
    JSON,
    TEXT
  }

  ExploreResult(
      Connection connection,
      PreparedStatement statement,
      ExploreLimits limits,
      long startedNanos,
      Runnable release) {
    this.connection = connection;
    this.statement = statement;
    this.limits = limits;
    this.startedNanos = startedNanos;
    this.deadlineNanos = startedNanos + limits.timeout().toNanos();
    this.release = release;
    try {
      this.rows = statement.getResultSet();
      ResultSetMetaData meta = rows.getMetaData();
      List<Column> cols = new ArrayList<>();
      kinds = new Kind[meta.getColumnCount()];
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        String type = meta.getColumnTypeName(i);
        cols.add(new Column(meta.getColumnLabel(i), type));
        kinds[i - 1] = kindOf(type);
      }
      this.columns = List.copyOf(cols);
    } catch (SQLException e) {
      // The runner that builds this result closes the connection and frees the slot.
      throw ReadOnlySqlRunner.userError(e, startedNanos, limits);
    }
  }

  private static Kind kindOf(String type) {
    String t = type.toUpperCase(Locale.ROOT);
    if (t.equals("BOOLEAN")) {
      return Kind.BOOLEAN;
    }
    if (t.equals("JSON")) {
      return Kind.JSON;
    }
    if (t.startsWith("DECIMAL")
        || List.of(
                "TINYINT",
                "SMALLINT",
                "INTEGER",
                "BIGINT",
                "HUGEINT",
                "UTINYINT",
                "USMALLINT",
                "UINTEGER",
                "UBIGINT",
                "UHUGEINT",
                "FLOAT",
                "DOUBLE")
            .contains(t)) {
      return Kind.NUMBER;
    }
    return Kind.TEXT;
  }

  public List<Column> columns() {
    return columns;
  }

  /**
   * Moves to the next row; false at the end or at the row cap (then {@link #truncated()} tells
   * whether rows were left out).
   */
  public boolean next() {
    if (done) {
      return false;
    }
    checkDeadline();
    try {
      boolean more = rows.next();
      if (!more) {
        done = true;
        return false;
      }
      if (rowCount >= limits.maxRows()) {
        truncated = true;
        done = true;
        return false;
      }
      rowCount++;
      return true;
    } catch (SQLException e) {
      done = true;
      throw ReadOnlySqlRunner.userError(e, startedNanos, limits);
    }
  }

  /**
   * The value in column {@code index} (0-based) of the current row: a {@link Number}, a {@link
   * Boolean}, a {@link JsonText}, a {@link String} (DuckDB's text form of every other type) or
   * null.
   */
  public Object value(int index) {
    try {
      Object raw = rows.getObject(index + 1);
      if (raw == null) {
        return null;
      }
      return switch (kinds[index]) {
        case BOOLEAN -> raw instanceof Boolean b ? b : Boolean.valueOf(raw.toString());
        case JSON -> new JsonText(raw.toString());
        case NUMBER -> number(raw);
        case TEXT -> rows.getString(index + 1);
      };
    } catch (SQLException e) {
      throw ReadOnlySqlRunner.userError(e, startedNanos, limits);
    }
  }

  private static Object number(Object raw) {
    if (raw instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return d.toString();
    }
    if (raw instanceof Float f && (f.isNaN() || f.isInfinite())) {
      return f.toString();
    }
    if (raw instanceof Number) {
      return raw;
    }
    String text = raw.toString();
    try {
      return text.contains(".") ? new BigDecimal(text) : new BigInteger(text);
    } catch (NumberFormatException e) {
      return text;
    }
  }

  /** The value in column {@code index} (0-based) as DuckDB's text, or null. */
  public String text(int index) {
    try {
      return rows.getString(index + 1);
    } catch (SQLException e) {
      throw ReadOnlySqlRunner.userError(e, startedNanos, limits);
    }
  }

  /**
   * Writes the rows as an Arrow IPC stream (schema, record batches, end marker) to {@code out}, cut
   * at the row cap. Use instead of {@link #next()}, not after it.
   */
  public void writeArrow(OutputStream out) throws IOException {
    if (rowCount > 0 || done) {
      throw new IllegalStateException("rows were already read");
    }
    try (BufferAllocator allocator = new RootAllocator(ARROW_MEMORY_LIMIT);
        ArrowReader reader =
            (ArrowReader)
                rows.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, ARROW_BATCH_ROWS)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
        writer.start();
        while (true) {
          checkDeadline();
          if (!reader.loadNextBatch()) {
            break;
          }
          int batch = root.getRowCount();
          if (batch == 0) {
            continue;
          }
          long room = limits.maxRows() - rowCount;
          if (room <= 0) {
            truncated = true;
            break;
          }
          if (batch > room) {
            root.setRowCount((int) room);
            truncated = true;
          }
          writer.writeBatch();
          rowCount += root.getRowCount();
          if (truncated) {
            break;
          }
        }
        writer.end();
      }
    } catch (SQLException e) {
      throw ReadOnlySqlRunner.userError(e, startedNanos, limits);
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("INTERRUPT") || message.contains("Interrupted")) {
        throw new ExploreException(
            ExploreException.Kind.TIMEOUT,
            "The query ran longer than the limit of "
                + limits.timeoutSeconds()
                + " s and was cancelled.",
            e);
      }
      throw e;
    } finally {
      done = true;
    }
  }

  private void checkDeadline() {
    if (System.nanoTime() > deadlineNanos) {
      done = true;
      throw new ExploreException(
          ExploreException.Kind.TIMEOUT,
          "The query ran longer than the limit of "
              + limits.timeoutSeconds()
              + " s and was cancelled.");
    }
  }

  /** Rows returned so far (after the end: all rows returned). */
  public long rowCount() {
    return rowCount;
  }

  /** Whether rows were left out because of the row cap (known once reading has ended). */
  public boolean truncated() {
    return truncated;
  }

  /** Milliseconds since the query was received. */
  public long elapsedMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (!done) {
        try {
          statement.cancel();
        } catch (SQLException e) {
          // closing below still ends it
        }
      }
      ReadOnlySqlRunner.closeQuietly(rows);
      ReadOnlySqlRunner.closeQuietly(statement);
      ReadOnlySqlRunner.closeQuietly(connection);
    } finally {
      release.run();
    }
  }
}
