package io.tracetics.db;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import org.apache.tomcat.jdbc.pool.PoolExhaustedException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;

/**
 * What a failure of a database call means, read from the exception and its causes: the one place
 * that tells a database that cannot answer now from a transaction to run again and from a real
 * error. The HTTP mapping, ingest's group commit and the importer all ask here and decide what to
 * do with the answer.
 */
public final class DatabaseFailures {
  private DatabaseFailures() {}

  /** MariaDB's error codes this classification reads. */
  private static final int ER_DUP_ENTRY = 1062;

  private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
  private static final int ER_LOCK_DEADLOCK = 1213;

  /** How deep the chain of causes is read (a chain may loop back on itself). */
  private static final int MAX_CAUSES = 64;

  /** The kinds of database failure. */
  public enum Kind {
    /**
     * The database cannot be reached or does not answer: no connection from the pool (exhausted or
     * the server refuses), the connection broke or was reset (SQLState class 08, the driver's
     * connection exceptions, an I/O error under a SQL exception), or a call ran out of time.
     * Nothing is known to be done; try again later.
     */
    UNAVAILABLE,
    /**
     * A row stayed locked by another transaction longer than the statement waits for it (MariaDB
     * error 1205): the database works but is busy; try again.
     */
    LOCK_TIMEOUT,
    /**
     * The transaction was rolled back as a deadlock victim or a serialization failure (error 1213,
     * SQLState 40001, or the driver's rollback exception): it can simply run again.
     */
    DEADLOCK,
    /**
     * A unique key refused a row (error 1062): a racing writer stored the same key first; running
     * the transaction again sees that row.
     */
    DUPLICATE_KEY,
    /** Anything else: a real error, not made better by trying again. */
    OTHER;

    /**
     * Whether the API answers it with 503 and {@code Retry-After}: the database cannot do it now,
     * and nothing was done.
     */
    public boolean temporary() {
      return this == UNAVAILABLE || this == LOCK_TIMEOUT;
    }
  }

  /**
   * The kind of {@code failure}, from it and every cause. A sign of an unreachable database
   * anywhere in the chain wins over the rest; then a lock wait timeout, a deadlock, a duplicate
   * key.
   */
  public static Kind classify(Throwable failure) {
    boolean lockTimeout = false;
    boolean deadlock = false;
    boolean duplicateKey = false;
    boolean underDatabaseCall = false;
    int depth = 0;
    for (Throwable t = failure;
        t != null && depth < MAX_CAUSES;
        t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (t instanceof ConnectionException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof SQLTimeoutException
          || t instanceof PoolExhaustedException) {
        return Kind.UNAVAILABLE;
      }
      // A socket error only means the database when it surfaced through a database call: the
      // HTTP client's broken connection is an IOException too.
      if (t instanceof IOException && underDatabaseCall) {
        return Kind.UNAVAILABLE;
      }
      if (t instanceof SQLException || t instanceof JdbiException) {
        underDatabaseCall = true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && state.startsWith("08")) {
          return Kind.UNAVAILABLE;
        }
        lockTimeout |= sql.getErrorCode() == ER_LOCK_WAIT_TIMEOUT;
        deadlock |=
            sql instanceof SQLTransactionRollbackException
                || sql.getErrorCode() == ER_LOCK_DEADLOCK
                || "40001".equals(state);
        duplicateKey |= sql.getErrorCode() == ER_DUP_ENTRY;
      }
    }
    if (lockTimeout) {
      return Kind.LOCK_TIMEOUT;
    }
    if (deadlock) {
      return Kind.DEADLOCK;
    }
    return duplicateKey ? Kind.DUPLICATE_KEY : Kind.OTHER;
  }
}
