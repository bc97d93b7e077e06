package io.tracetics.errors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the client can act on: an HTTP status, a stable snake_case {@code error} key and a
 * message a person can read. Extra fields (for example {@code limit} and {@code plan}) go into the
 * body next to them. Every domain error in the service extends this.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final transient Map<String, Object> details;

  public ApiException(int status, String error, String message) {
    this(status, error, message, Map.of());
  }

  public ApiException(int status, String error, String message, Map<String, Object> details) {
    super(message);
    this.status = status;
    this.error = error;
    this.details = new LinkedHashMap<>(details);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public Map<String, Object> details() {
    return details;
  }

  public static ApiException badRequest(String error, String message) {
    return new ApiException(400, error, message);
  }

  public static ApiException notFound(String what, Object id) {
    return new ApiException(
        404,
        what.toLowerCase(java.util.Locale.ROOT) + "_not_found",
        what + " " + id + " not found");
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message);
  }
}
