package io.tracetics.engine.explore;

import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.SqlResources;
import io.tracetics.engine.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import org.duckdb.DuckDBResultSetMetaData;
import org.duckdb.StatementReturnType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a tenant's exploration query over one app's events, safely.
 *
 * <p>Layers, in order: a free slot (at most {@link ExploreLimits#maxConcurrent()} queries at once;
 * no queueing); the {@link SqlGuard} (text, DuckDB's parse tree, before anything is prepared); a
 * fresh reader connection of the analytic store, whose whole instance is sandboxed (no files,
 * network, extensions or settings: see {@link AnalyticsStore}); on it a TEMP view {@code events}
 * holding only the app's rows, which shadows {@code main.events} for the unqualified name the guard
 * allows; the prepared statement must return a result (not change rows); a statement timeout; a row
 * cap. Results stream (DuckDB's streaming results are on by default in duckdb_jdbc 2.0).
 *
 * <p>The caller reads the {@link ExploreResult} and closes it; closing frees the slot.
 */
public final class ReadOnlySqlRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ReadOnlySqlRunner.class);

  private final AnalyticsStore store;
  private final ExploreLimits limits;
  private final SqlGuard guard;
  private final String catalog;
  private final Semaphore slots;

  public ReadOnlySqlRunner(AnalyticsStore store, ExploreLimits limits) {
    this.store = Objects.requireNonNull(store, "store");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.slots = new Semaphore(limits.maxConcurrent());
    try (Connection c = store.openReader()) {
      this.guard = new SqlGuard(FunctionPolicy.load(c), limits.maxQueryLength());
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_database()")) {
        rs.next();
        this.catalog = rs.getString(1);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot prepare SQL exploration", e);
    }
  }

  public ExploreLimits limits() {
    return limits;
  }

  /**
   * Checks and starts {@code query} over the events of {@code appId}. Throws {@link
   * ExploreException} for a refused or failing query (the tenant's problem), {@link StoreException}
   * for a failure of our own SQL.
   */
  public ExploreResult open(long appId, String query) {
    if (!slots.tryAcquire()) {
      throw new ExploreException(
          ExploreException.Kind.BUSY,
          limits.maxConcurrent()
              + " exploration queries are already running; try again in a moment.");
    }
    long started = System.nanoTime();
    Connection connection = null;
    try {
      connection = store.openReader();
      try {
        guard.check(connection, query);
      } catch (SQLException e) {
        throw new StoreException("cannot parse an exploration query", e);
      }
      try (Statement st = connection.createStatement()) {
        for (String view : SqlResources.statements("explore/events_view")) {
          st.execute(String.format(view, quoteIdentifier(catalog), appId));
        }
      } catch (SQLException e) {
        throw new StoreException("cannot create the events view for app " + appId, e);
      }
      PreparedStatement statement = prepareAndExecute(connection, query, started);
      ExploreResult result =
          new ExploreResult(connection, statement, limits, started, slots::release);
      return result;
    } catch (RuntimeException e) {
      closeQuietly(connection);
      slots.release();
      throw e;
    }
  }

  private PreparedStatement prepareAndExecute(Connection connection, String query, long started) {
    PreparedStatement ps = null;
    try {
      ps = connection.prepareStatement(query);
      StatementReturnType returns = ((DuckDBResultSetMetaData) ps.getMetaData()).getReturnType();
      if (returns != StatementReturnType.QUERY_RESULT) {
        throw ExploreException.notAllowed("Only a SELECT that returns rows is allowed.");
      }
      ps.setQueryTimeout(limits.timeoutSeconds());
      ps.setFetchSize(2048);
      ps.execute();
      return ps;
    } catch (SQLException e) {
      closeQuietly(ps);
      throw userError(e, started, limits);
    } catch (RuntimeException e) {
      closeQuietly(ps);
      throw e;
    }
  }

  /** Turns DuckDB's complaint about the tenant's query into an {@link ExploreException}. */
  static ExploreException userError(SQLException e, long startedNanos, ExploreLimits limits) {
    String message = e.getMessage() == null ? "The query failed." : e.getMessage().strip();
    long elapsedMillis = (System.nanoTime() - startedNanos) / 1_000_000;
    // Past the deadline, whatever DuckDB says (an interrupted streaming result can also report
    // "Invalid result set"), the cause is the time limit.
    if (message.startsWith("INTERRUPT Error") || elapsedMillis >= limits.timeout().toMillis()) {
      return new ExploreException(
          ExploreException.Kind.TIMEOUT,
          "The query ran longer than the limit of "
              + limits.timeoutSeconds()
              + " s and was cancelled.",
          e);
    }
    if (message.startsWith("Parser Error")) {
      return new ExploreException(ExploreException.Kind.SYNTAX_ERROR, message, e);
    }
    if (message.startsWith("Permission Error")) {
      LOG.warn("An exploration query passed the guard but hit the sandbox: {}", message);
      return new ExploreException(ExploreException.Kind.NOT_ALLOWED, message, e);
    }
    return new ExploreException(ExploreException.Kind.QUERY_ERROR, message, e);
  }

  private static String quoteIdentifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("close failed", e);
    }
  }
}
