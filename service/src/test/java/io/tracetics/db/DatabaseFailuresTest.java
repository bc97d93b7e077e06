package io.tracetics.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.db.DatabaseFailures.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import org.apache.tomcat.jdbc.pool.PoolExhaustedException;
import org.jdbi.v3.core.CloseException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {
  private static SQLException lockWaitTimeout() {
    return new SQLException(
        "Lock wait timeout exceeded; try restarting transaction", "HY000", 1205);
  }

  private static SQLException deadlock() {
    return new SQLTransactionRollbackException(
        "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);
  }

  private static SQLException duplicateKey() {
    return new SQLIntegrityConstraintViolationException(
        "Duplicate entry '7-x' for key 'uq_events_client_id'", "23000", 1062);
  }

  @Test
  void theDriverRefusedAConnection() throws Exception {
    // A real MariaDB driver failure: nothing listens on port 1.
    SQLException refused =
        assertThrows(
            SQLException.class,
            () ->
                DriverManager.getConnection(
                    "jdbc:mariadb://127.0.0.1:1/test?connectTimeout=2000", "root", ""));
    assertEquals(Kind.UNAVAILABLE, DatabaseFailures.classify(refused));
    assertEquals(Kind.UNAVAILABLE, DatabaseFailures.classify(new ConnectionException(refused)));
  }

  @Test
  void connectionExceptionsAreUnavailable() {
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(new SQLTransientConnectionException("reset", "08S01")));
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(new SQLNonTransientConnectionException("closed", "08003")));
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(new SQLRecoverableException("connection lost")));
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(new ConnectionException(new SQLException("no connection"))));
  }

  @Test
  void sqlStateClass08IsUnavailable() {
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(new SQLException("Too many connections", "08004", 1040)));
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(new SQLException("Server shutdown in progress", "08S01", 1053)));
  }

  @Test
  void timeoutsAndAnExhaustedPoolAreUnavailable() {
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(new SQLTimeoutException("Query execution was interrupted")));
    PoolExhaustedException exhausted =
        new PoolExhaustedException(
            "Timeout: Pool empty. Unable to fetch a connection in 1 seconds");
    assertEquals(Kind.UNAVAILABLE, DatabaseFailures.classify(exhausted));
    assertEquals(Kind.UNAVAILABLE, DatabaseFailures.classify(new ConnectionException(exhausted)));
  }

  @Test
  void socketErrorsUnderADatabaseCallAreUnavailable() {
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(
            new SQLException("Could not send query", "HY000", 0, new ConnectException("refused"))));
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(
            new UnableToExecuteStatementException(
                "select", new SocketTimeoutException("Read timed out"), null)));
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(
            new CloseException(
                "Unable to close Connection",
                new SQLNonTransientConnectionException("socket closed", "08000"))));
    assertEquals(
        Kind.UNAVAILABLE,
        DatabaseFailures.classify(
            new RuntimeException(
                new UnableToExecuteStatementException(
                    new SQLException("write failed", null, 0, new EOFException()), null))));
  }

  @Test
  void socketErrorsOutsideADatabaseCallAreNotTheDatabase() {
    // The HTTP client hanging up is an IOException too; it says nothing about MariaDB.
    assertEquals(Kind.OTHER, DatabaseFailures.classify(new ConnectException("refused")));
    assertEquals(
        Kind.OTHER,
        DatabaseFailures.classify(new UncheckedIOException(new IOException("Broken pipe"))));
  }

  @Test
  void lockWaitTimeoutIsItsOwnKind() {
    assertEquals(Kind.LOCK_TIMEOUT, DatabaseFailures.classify(lockWaitTimeout()));
    assertEquals(
        Kind.LOCK_TIMEOUT,
        DatabaseFailures.classify(new UnableToExecuteStatementException(lockWaitTimeout(), null)));
  }

  @Test
  void deadlocks() {
    assertEquals(Kind.DEADLOCK, DatabaseFailures.classify(deadlock()));
    assertEquals(
        Kind.DEADLOCK, DatabaseFailures.classify(new SQLException("serialization", "40001")));
    assertEquals(
        Kind.DEADLOCK, DatabaseFailures.classify(new SQLException("Deadlock", "HY000", 1213)));
    assertEquals(
        Kind.DEADLOCK,
        DatabaseFailures.classify(new SQLTransactionRollbackException("rolled back", "40000")));
    assertEquals(
        Kind.DEADLOCK, DatabaseFailures.classify(new RuntimeException("group failed", deadlock())));
  }

  @Test
  void duplicateKeyIsItsOwnKind() {
    assertEquals(Kind.DUPLICATE_KEY, DatabaseFailures.classify(duplicateKey()));
    assertEquals(
        Kind.DUPLICATE_KEY,
        DatabaseFailures.classify(new UnableToExecuteStatementException(duplicateKey(), null)));
    // Another integrity violation (here a foreign key) is a real error.
    assertEquals(
        Kind.OTHER,
        DatabaseFailures.classify(
            new SQLIntegrityConstraintViolationException(
                "Cannot add or update a child row", "23000", 1452)));
  }

  @Test
  void unreachableWinsOverEverythingElseInTheChain() {
    SQLException rolledBack =
        new SQLTransactionRollbackException(
            "Deadlock", "40001", 1213, new SQLNonTransientConnectionException("gone", "08S01"));
    assertEquals(Kind.UNAVAILABLE, DatabaseFailures.classify(rolledBack));
    SQLException timedOutLock = lockWaitTimeout();
    timedOutLock.initCause(new SQLTimeoutException("interrupted"));
    assertEquals(Kind.UNAVAILABLE, DatabaseFailures.classify(timedOutLock));
  }

  @Test
  void lockTimeoutWinsOverDeadlockAndDuplicate() {
    SQLException both =
        new SQLTransactionRollbackException("rolled back", "40001", 1213, lockWaitTimeout());
    assertEquals(Kind.LOCK_TIMEOUT, DatabaseFailures.classify(both));
    SQLException dupThenDeadlock =
        new SQLIntegrityConstraintViolationException("dup", "23000", 1062, deadlock());
    assertEquals(Kind.DEADLOCK, DatabaseFailures.classify(dupThenDeadlock));
  }

  @Test
  void everythingElseIsOther() {
    assertEquals(
        Kind.OTHER,
        DatabaseFailures.classify(
            new SQLSyntaxErrorException("You have an error in your SQL syntax", "42000", 1064)));
    assertEquals(Kind.OTHER, DatabaseFailures.classify(new SQLException("no state")));
    assertEquals(Kind.OTHER, DatabaseFailures.classify(new IllegalStateException("bug")));
    assertEquals(
        Kind.OTHER,
        DatabaseFailures.classify(new CloseException("Unable to close", new SQLException("x"))));
  }

  @Test
  void aCycleOfCausesEnds() {
    SQLException a = new SQLException("a");
    SQLException b = new SQLException("b");
    a.initCause(b);
    b.initCause(a);
    assertEquals(Kind.OTHER, DatabaseFailures.classify(a));
  }

  @Test
  void temporaryKindsAreTheOnesAnswered503() {
    assertTrue(Kind.UNAVAILABLE.temporary());
    assertTrue(Kind.LOCK_TIMEOUT.temporary());
    assertFalse(Kind.DEADLOCK.temporary());
    assertFalse(Kind.DUPLICATE_KEY.temporary());
    assertFalse(Kind.OTHER.temporary());
  }
}
