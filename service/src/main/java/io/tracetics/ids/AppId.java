package io.tracetics.ids;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.ws.rs.NotFoundException;

/**
 * A tracked app's id. Usable as a {@code @PathParam}: a value that is not a positive number names
 * no app, so it is a 404 like any unknown id.
 */
public record AppId(long value) {
  public AppId {
    if (value <= 0) {
      throw new IllegalArgumentException("app id must be positive");
    }
  }

  @JsonCreator
  public static AppId of(long value) {
    return new AppId(value);
  }

  /** JAX-RS path parameter conversion. */
  public static AppId valueOf(String text) {
    try {
      return new AppId(Long.parseLong(text));
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("App " + text + " not found");
    }
  }

  @JsonValue
  public long value() {
    return value;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
