package io.tracetics.errors;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The one error body of the whole API: {@code {"code": <http status>, "error": "<stable key>",
 * "message": "..."}} plus, where they apply, {@code errors} (a list of field problems), {@code
 * log_id} (for 5xx, to find the server log line) and extra named fields such as {@code limit}.
 * {@code code} always equals the HTTP status of the response.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"code", "error", "message", "errors", "log_id"})
public record ApiError(
    @JsonProperty("code") int code,
    @JsonProperty("error") String error,
    @JsonProperty("message") String message,
    @JsonProperty("errors") List<String> errors,
    @JsonProperty("log_id") String logId,
    Map<String, Object> details) {

  public ApiError(int code, String error, String message) {
    this(code, error, message, null, null, Map.of());
  }

  @JsonAnyGetter
  public Map<String, Object> details() {
    return details == null ? Map.of() : details;
  }

  public Response toResponse() {
    return responseBuilder().build();
  }

  /** The error response, for a caller that adds headers of its own. */
  Response.ResponseBuilder responseBuilder() {
    return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE).entity(this);
  }

  public static Response response(int status, String error, String message) {
    return new ApiError(status, error, message).toResponse();
  }
}
