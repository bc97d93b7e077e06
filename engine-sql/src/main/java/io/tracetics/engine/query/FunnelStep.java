package io.tracetics.engine.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One step: reached by an event matching any of its alternatives ({@code any_of}; most steps have
 * one), with an optional display name and, after the first step, an optional time limit.
 *
 * @param anyOf the alternatives, at least one; an event fills the step when it matches any of them
 * @param name what the report calls the step (absent: the event name of its first alternative)
 * @param within the longest time from the previous step of the chain to this one (inclusive); the
 *     funnel's window still bounds the whole chain
 */
public record FunnelStep(List<EventMatch> anyOf, Optional<String> name, Optional<Duration> within) {

  public FunnelStep {
    anyOf = List.copyOf(Objects.requireNonNull(anyOf, "anyOf"));
    if (anyOf.isEmpty()) {
      throw new IllegalArgumentException("a step needs at least one event to match");
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(within, "within");
  }

  /** A step with one alternative and neither a name nor a time limit. */
  public FunnelStep(String eventName, List<PropertyFilter> filters) {
    this(List.of(new EventMatch(eventName, filters)), Optional.empty(), Optional.empty());
  }

  public static FunnelStep of(String eventName, PropertyFilter... filters) {
    return new FunnelStep(eventName, List.of(filters));
  }

  /** A step reached by any of {@code alternatives}. */
  public static FunnelStep anyOf(EventMatch... alternatives) {
    return new FunnelStep(List.of(alternatives), Optional.empty(), Optional.empty());
  }

  public FunnelStep named(String value) {
    return new FunnelStep(anyOf, Optional.of(value), within);
  }

  public FunnelStep within(Duration limit) {
    return new FunnelStep(anyOf, name, Optional.of(limit));
  }

  /**
   * This step with {@code filters} added to every alternative (a filter already there stays once).
   */
  public FunnelStep withFilters(List<PropertyFilter> filters) {
    List<EventMatch> out = new ArrayList<>();
    for (EventMatch m : anyOf) {
      List<PropertyFilter> all = new ArrayList<>(m.filters());
      for (PropertyFilter f : filters) {
        if (!all.contains(f)) {
          all.add(f);
        }
      }
      out.add(new EventMatch(m.eventName(), all));
    }
    return new FunnelStep(out, name, within);
  }

  /** The event names its alternatives match, in their order, each once. */
  public Set<String> eventNames() {
    Set<String> names = new LinkedHashSet<>();
    anyOf.forEach(m -> names.add(m.eventName()));
    return names;
  }

  /** The name the report shows: {@link #name}, else the first alternative's event name. */
  public String label() {
    return name.orElse(anyOf.get(0).eventName());
  }

  /** Whether the step has more than one alternative. */
  public boolean hasAlternatives() {
    return anyOf.size() > 1;
  }

  /**
   * Identity of what this step matches: two steps with the same set of alternatives (each the same
   * name and filter set, in any order) match exactly the same events.
   */
  public MatchKey matchKey() {
    Set<EventMatch.Key> keys = new java.util.HashSet<>();
    anyOf.forEach(m -> keys.add(m.key()));
    return new MatchKey(Set.copyOf(keys));
  }

  /** See {@link #matchKey()}. */
  public record MatchKey(Set<EventMatch.Key> alternatives) {}
}
