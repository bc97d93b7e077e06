package io.tracetics.engine.store;

/** A failure of the analytic store (DuckDB), with the SQL exception as cause. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
