package io.tracetics.importer;

/** An import that cannot start or go on (no such app, unreadable file, bad column mapping). */
public final class ImportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImportException(String message) {
    super(message);
  }

  public ImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
