package io.tracetics.engine.query;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** One step: an event name plus optional property filters (all must hold). */
public record FunnelStep(String eventName, List<PropertyFilter> filters) {

  public FunnelStep {
    Objects.requireNonNull(eventName, "eventName");
    filters = filters == null ? List.of() : List.copyOf(filters);
  }

  /**
   * Identity of what this step matches: two steps with the same name and the same set of filters
   * (in any order) match exactly the same events.
   */
  public MatchKey matchKey() {
    return new MatchKey(eventName, Set.copyOf(filters));
  }

  /** See {@link #matchKey()}. */
  public record MatchKey(String eventName, Set<PropertyFilter> filters) {}

  public static FunnelStep of(String eventName, PropertyFilter... filters) {
    return new FunnelStep(eventName, List.of(filters));
  }
}
