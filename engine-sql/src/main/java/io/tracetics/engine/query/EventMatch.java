package io.tracetics.engine.query;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What one event must be to match: its name plus optional filters (all must hold). */
public record EventMatch(String eventName, List<PropertyFilter> filters) {

  public EventMatch {
    Objects.requireNonNull(eventName, "eventName");
    filters = filters == null ? List.of() : List.copyOf(filters);
  }

  public static EventMatch of(String eventName, PropertyFilter... filters) {
    return new EventMatch(eventName, List.of(filters));
  }

  /**
   * Identity of what this matches: the same name and the same set of filters (in any order) match
   * exactly the same events.
   */
  public Key key() {
    return new Key(eventName, Set.copyOf(filters));
  }

  /** See {@link #key()}. */
  public record Key(String eventName, Set<PropertyFilter> filters) {}
}
