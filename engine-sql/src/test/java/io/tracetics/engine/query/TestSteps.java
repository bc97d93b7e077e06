package io.tracetics.engine.query;

import io.tracetics.engine.query.rules.FilterVariantsRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Steps with alternatives for the random test generators, always valid. */
public final class TestSteps {
  private TestSteps() {}

  /** A step of the alternatives, each kept once (a repeat of an earlier one is dropped). */
  public static FunnelStep alternatives(List<EventMatch> alternatives) {
    List<EventMatch> distinct = new ArrayList<>();
    Set<EventMatch.Key> seen = new HashSet<>();
    for (EventMatch m : alternatives) {
      if (seen.add(m.key())) {
        distinct.add(m);
      }
    }
    return new FunnelStep(distinct, Optional.empty(), Optional.empty());
  }

  /**
   * The steps, or, when their alternatives link more filter variants than the validator allows, the
   * steps with their first alternative only.
   */
  public static List<FunnelStep> withinVariantLimit(List<FunnelStep> steps) {
    FunnelQuery probe = FunnelQuery.builder(1).steps(steps).build();
    if (new FilterVariantsRule().check(probe).isEmpty()) {
      return steps;
    }
    return steps.stream()
        .map(s -> new FunnelStep(List.of(s.anyOf().get(0)), s.name(), s.within()))
        .toList();
  }
}
