package io.tracetics.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tracetics.errors.ApiException;
import java.util.Map;

/**
 * Why one event was refused, in the API's error shape: {@code code} (the HTTP status the event
 * would get on its own), a stable {@code error} key, a readable {@code message} and, for field
 * problems, the {@code field}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"code", "error", "message", "field"})
public record ItemError(
    @JsonProperty("code") int code,
    @JsonProperty("error") String error,
    @JsonProperty("message") String message,
    @JsonProperty("field") String field) {

  public static ItemError invalid(String error, String field, String message) {
    return new ItemError(400, error, message, field);
  }

  /** The same problem as the whole response of the single-event endpoint. */
  public ApiException toException() {
    return new ApiException(
        code, error, message, field == null ? Map.of() : Map.of("field", field));
  }
}
