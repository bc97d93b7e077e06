package io.tracetics.ingest;

import io.tracetics.db.DatabaseFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit writers' connections. Each writer thread keeps one pooled connection for its
 * groups, set up once for them (no auto-commit, READ COMMITTED), so a group costs only its own
 * statements and the commit. It is given back when a group fails (dropped from the pool if the
 * failure broke it), and checked with a ping before use after a database failure or a quiet spell
 * (the server may have closed it meanwhile).
 *
 * <p>This is the one place that reaches under the pool and the driver: the statements run on the
 * MariaDB driver's own connection beneath the pool's proxy, and a broken connection is marked
 * discarded on the pool's (tomcat-jdbc) connection so it is closed instead of lent again.
 */
final class WriterConnections {
  private static final Logger LOG = LoggerFactory.getLogger(WriterConnections.class);
  private static final int MAX_STALE_CONNECTIONS = 64;
  private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Executor SAME_THREAD = Runnable::run;

  private final Jdbi jdbi;
  private final ThreadLocal<Pinned> pinned = new ThreadLocal<>();
  private volatile boolean suspect;

  WriterConnections(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A writer thread's connection, with its prepared statements. */
  static final class Pinned {
    final Connection connection;
    final GroupCommitStatements statements;
    private final Handle handle;
    private final int poolIsolation;
    private long lastUsedNanos = System.nanoTime();

    private Pinned(Handle handle) throws SQLException {
      this.handle = handle;
      this.connection = handle.getConnection();
      this.poolIsolation = connection.getTransactionIsolation();
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      this.statements = new GroupCommitStatements(driverConnection(connection));
    }

    /** Marks a successful commit on it. */
    void used() {
      lastUsedNanos = System.nanoTime();
    }

    /**
     * The driver's connection under the pool's proxy (same session and transaction), so that the
     * statements bound for every event skip the proxy's reflective calls; the proxy where the pool
     * does not expose it.
     */
    private static Connection driverConnection(Connection pooled) {
      try {
        return pooled.unwrap(org.mariadb.jdbc.Connection.class);
      } catch (SQLException | RuntimeException e) {
        return pooled;
      }
    }

    /** Rolls back whatever is open, restores the pool's settings and returns the connection. */
    private void release() {
      statements.close();
      try {
        connection.rollback();
        connection.setTransactionIsolation(poolIsolation);
        connection.setAutoCommit(true);
      } catch (SQLException | RuntimeException e) {
        discard(connection); // broken: the pool closes it instead of lending it again
      }
      try {
        handle.close();
      } catch (RuntimeException e) {
        LOG.debug("Closing a failed writer connection: {}", e.toString());
      }
    }
  }

  /**
   * After a database failure the pool may still hold connections that broke with it; until {@link
   * #healthy} each connection is checked (a ping) before use and dropped if dead.
   */
  void suspect() {
    suspect = true;
  }

  /** A commit succeeded: connections are trusted again. */
  void healthy() {
    suspect = false;
  }

  /** The calling writer thread's connection, checked first after a failure or a quiet spell. */
  Pinned pinned() throws SQLException {
    Pinned held = pinned.get();
    if (held != null
        && (suspect || System.nanoTime() - held.lastUsedNanos > IDLE_CHECK_NANOS)
        && !held.connection.isValid(1)) {
      discard(held.connection);
      held.release();
      pinned.remove();
      held = null;
    }
    if (held == null) {
      held = new Pinned(openHealthy());
      pinned.set(held);
    }
    return held;
  }

  /**
   * The group on {@code held} (null if none was got) failed: a connection that failed at the
   * network level is dropped from the pool (the next group would fail on it again after the
   * database is back), and the calling thread's connection is given back, rolled back.
   */
  void failed(Pinned held, Exception failure) {
    if (held != null && DatabaseFailures.classify(failure).temporary()) {
      discard(held.connection);
    }
    release();
  }

  /** Gives back the calling writer thread's connection (after a failure, and when it stops). */
  void release() {
    Pinned held = pinned.get();
    if (held != null) {
      pinned.remove();
      held.release();
    }
  }

  private Handle openHealthy() {
    if (!suspect) {
      return jdbi.open();
    }
    for (int attempt = 0; ; attempt++) {
      Handle handle = jdbi.open();
      try {
        if (handle.getConnection().isValid(1) || attempt >= MAX_STALE_CONNECTIONS) {
          return handle;
        }
        discard(handle.getConnection());
      } catch (SQLException | RuntimeException e) {
        LOG.debug("Dropping a broken pooled connection: {}", e.toString());
      }
      handle.close();
    }
  }

  /** Makes the pool close this connection when it comes back instead of lending it again. */
  private static void discard(Connection connection) {
    try {
      // The pool's proxy hands out its own PooledConnection for this interface.
      connection.unwrap(org.apache.tomcat.jdbc.pool.PooledConnection.class).setDiscarded(true);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Could not drop a broken pooled connection: {}", e.toString());
    }
  }

  /** Bounds every call on the connection to {@code millis} (0: no bound). */
  static void setNetworkTimeout(Connection connection, int millis) {
    try {
      connection.setNetworkTimeout(SAME_THREAD, millis);
    } catch (SQLException | UnsupportedOperationException e) {
      // the connection is broken (the transaction will fail) or the driver cannot: nothing to do
    }
  }
}
