package io.tracetics.ingest;

/**
 * Why the group-commit writer could not store a request's events, as the write path's own result:
 * {@link IngestService} turns it into the API's answer. It carries no stack trace (it is an
 * expected answer, and a database outage makes many of them at once).
 */
public final class IngestFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, and so what the client may know about its events. */
  public enum Reason {
    /**
     * The database cannot take writes: the group's transaction failed for a reason {@link
     * io.tracetics.db.DatabaseFailures} calls temporary, it failed moments ago, or the writer
     * stopped. Nothing was stored.
     */
    DATABASE_UNAVAILABLE,
    /**
     * No writer took the request within {@code requestTimeout}; it was withdrawn, nothing stored.
     */
    NOT_TAKEN_IN_TIME,
    /**
     * The request's group was being committed when its time ran out: its events may or may not be
     * stored.
     */
    UNCONFIRMED,
    /** Too many events wait for a commit already; nothing was stored. */
    OVERLOADED
  }

  private final Reason reason;

  IngestFailure(Reason reason) {
    super(reason.name(), null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
