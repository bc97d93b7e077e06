package io.tracetics.ids;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.ws.rs.NotFoundException;

/**
 * A tenant's id. A tenant's own calls take it from their authenticated principal, never from the
 * request; only the operator's calls name a tenant in the path.
 */
public record TenantId(long value) {
  public TenantId {
    if (value <= 0) {
      throw new IllegalArgumentException("tenant id must be positive");
    }
  }

  @JsonCreator
  public static TenantId of(long value) {
    return new TenantId(value);
  }

  /** JAX-RS path parameter conversion: a value that is not a positive number names no tenant. */
  public static TenantId valueOf(String text) {
    try {
      return new TenantId(Long.parseLong(text));
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("Tenant " + text + " not found");
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
