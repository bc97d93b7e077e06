package io.tracetics.alerts;

import jakarta.ws.rs.NotFoundException;

/** An alert's id as a path parameter; anything not a positive number names no alert (404). */
public record AlertId(long value) {
  public AlertId {
    if (value <= 0) {
      throw new IllegalArgumentException("alert id must be positive");
    }
  }

  public static AlertId valueOf(String text) {
    try {
      return new AlertId(Long.parseLong(text));
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("Alert " + text + " not found");
    }
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
