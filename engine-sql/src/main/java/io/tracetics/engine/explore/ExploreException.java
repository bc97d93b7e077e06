package io.tracetics.engine.explore;

/**
 * A tenant's query that was refused or failed because of the query itself. The message is meant for
 * the tenant: why it was refused, or DuckDB's own message about their SQL. Failures of our own SQL
 * are {@link io.tracetics.engine.store.StoreException}s instead.
 */
public final class ExploreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why, with a stable key. */
  public enum Kind {
    /**
     * Not one read-only SELECT over {@code events}: a statement, table, function or name refused.
     */
    NOT_ALLOWED("sql_not_allowed"),
    /** The text does not parse. */
    SYNTAX_ERROR("sql_syntax_error"),
    /** The text is longer than the limit. */
    TOO_LONG("sql_too_long"),
    /** DuckDB refused or failed the query (binder, conversion, out of memory, ...). */
    QUERY_ERROR("sql_error"),
    /** The query ran past the time limit and was cancelled. */
    TIMEOUT("sql_timeout"),
    /** Too many exploration queries are running; try again shortly. */
    BUSY("sql_busy");

    private final String key;

    Kind(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  private final Kind kind;

  public ExploreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ExploreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static ExploreException notAllowed(String message) {
    return new ExploreException(Kind.NOT_ALLOWED, message);
  }
}
