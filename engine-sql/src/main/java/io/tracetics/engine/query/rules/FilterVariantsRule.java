package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steps that use the same event name may differ in their filters in at most {@value #MAX_VARIANTS}
 * ways. (The engine checks, for every set of such variants, that enough distinct events exist: 2^k
 * checks for k variants.)
 */
public final class FilterVariantsRule implements ValidationRule {
  public static final int MAX_VARIANTS = 6;

  @Override
  public String code() {
    return "too_many_filter_variants";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    Map<String, Set<FunnelStep.MatchKey>> byName = new HashMap<>();
    for (FunnelStep s : q.steps()) {
      byName.computeIfAbsent(s.eventName(), k -> new HashSet<>()).add(s.matchKey());
    }
    List<Violation> out = new ArrayList<>();
    byName.forEach(
        (name, keys) -> {
          if (keys.size() > MAX_VARIANTS) {
            out.add(
                new Violation(
                    code(),
                    "steps",
                    "event '"
                        + name
                        + "' is used by steps with "
                        + keys.size()
                        + " different filter sets; at most "
                        + MAX_VARIANTS
                        + " are allowed"));
          }
        });
    return out;
  }
}
