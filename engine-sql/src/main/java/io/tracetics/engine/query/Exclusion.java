package io.tracetics.engine.query;

import java.util.List;
import java.util.Objects;

/**
 * An event that discards an attempt when it happens after the attempt's step {@code fromStep} and
 * before its step {@code toStep} (0-based), inside the attempt's window.
 */
public record Exclusion(String eventName, List<PropertyFilter> filters, int fromStep, int toStep) {

  public Exclusion {
    Objects.requireNonNull(eventName, "eventName");
    filters = filters == null ? List.of() : List.copyOf(filters);
  }

  public static Exclusion of(
      String eventName, int fromStep, int toStep, PropertyFilter... filters) {
    return new Exclusion(eventName, List.of(filters), fromStep, toStep);
  }
}
