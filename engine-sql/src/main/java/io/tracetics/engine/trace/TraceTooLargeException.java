package io.tracetics.engine.trace;

/**
 * The person's events in the funnel's bounds are too many to trace exactly within the trace's
 * budget; a narrower date range reads fewer.
 */
public class TraceTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TraceTooLargeException(String message) {
    super(message);
  }
}
