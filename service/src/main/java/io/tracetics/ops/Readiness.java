package io.tracetics.ops;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether this node should get traffic: not while it is starting, not once shutdown has begun
 * (draining), and not while MariaDB is unreachable. Redis and DuckDB are left out on purpose:
 * ingest keeps working without Redis, and a node whose DuckDB is behind still acknowledges events.
 */
public final class Readiness {
  /** Where the node is in its life. */
  public enum Phase {
    STARTING,
    READY,
    DRAINING
  }

  /** The answer: ready, or why not ({@code reason} is a stable key, {@code message} for people). */
  public record Status(boolean ready, String reason, String message) {
    static Status ok() {
      return new Status(true, null, null);
    }

    static Status notReady(String reason, String message) {
      return new Status(false, reason, message);
    }
  }

  private final Supplier<Optional<String>> databaseProblem;
  private volatile Phase phase = Phase.STARTING;

  /**
   * @param databaseProblem empty when MariaDB answers, else a description of the problem without
   *     internals (it is shown to callers)
   */
  public Readiness(Supplier<Optional<String>> databaseProblem) {
    this.databaseProblem = databaseProblem;
  }

  /** The server has started and everything is wired; no effect once draining. */
  public synchronized void started() {
    if (phase == Phase.STARTING) {
      phase = Phase.READY;
    }
  }

  /** Shutdown has begun: not ready from now on. */
  public synchronized void draining() {
    phase = Phase.DRAINING;
  }

  public Phase phase() {
    return phase;
  }

  /** The current answer; checks the database only when the phase alone does not decide. */
  public Status status() {
    return switch (phase) {
      case STARTING -> Status.notReady("starting", "The service is starting.");
      case DRAINING ->
          Status.notReady("draining", "The service is shutting down and takes no new traffic.");
      case READY ->
          databaseProblem
              .get()
              .map(problem -> Status.notReady("database_unavailable", problem))
              .orElseGet(Status::ok);
    };
  }
}
