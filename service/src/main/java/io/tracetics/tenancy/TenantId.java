package io.tracetics.tenancy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A tenant's id. Never taken from a query parameter: it comes from an authenticated principal. */
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

  @JsonValue
  public long value() {
    return value;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
