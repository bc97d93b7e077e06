package io.tracetics.funnels;

import jakarta.ws.rs.NotFoundException;

/** A funnel's id as a path parameter; anything not a positive number names no funnel (404). */
public record FunnelId(long value) {
  public FunnelId {
    if (value <= 0) {
      throw new IllegalArgumentException("funnel id must be positive");
    }
  }

  public static FunnelId valueOf(String text) {
    try {
      return new FunnelId(Long.parseLong(text));
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("Funnel " + text + " not found");
    }
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
