package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Steps that can match the same events (they use an event name in common, directly or through other
 * steps' alternatives) differ in what they match in at most {@value #MAX_VARIANTS} ways. (The
 * engine checks, for every set of such variants, that enough distinct events exist: 2^k checks for
 * k variants.)
 */
public final class FilterVariantsRule implements ValidationRule {
  public static final int MAX_VARIANTS = 6;

  @Override
  public String code() {
    return "too_many_filter_variants";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    List<FunnelStep.MatchKey> variants = new ArrayList<>();
    List<Set<String>> names = new ArrayList<>();
    for (FunnelStep s : q.steps()) {
      if (!variants.contains(s.matchKey())) {
        variants.add(s.matchKey());
        names.add(s.eventNames());
      }
    }
    // Merge the variants into groups linked by event names.
    List<Set<String>> groupNames = new ArrayList<>();
    List<Integer> groupSizes = new ArrayList<>();
    for (Set<String> n : names) {
      Set<String> merged = new LinkedHashSet<>(n);
      int size = 1;
      for (int g = groupNames.size() - 1; g >= 0; g--) {
        if (groupNames.get(g).stream().anyMatch(merged::contains)) {
          merged.addAll(groupNames.remove(g));
          size += groupSizes.remove(g);
        }
      }
      groupNames.add(merged);
      groupSizes.add(size);
    }
    List<Violation> out = new ArrayList<>();
    for (int g = 0; g < groupNames.size(); g++) {
      if (groupSizes.get(g) > MAX_VARIANTS) {
        out.add(
            new Violation(
                code(),
                "steps",
                "the steps using "
                    + describe(groupNames.get(g))
                    + " match those events in "
                    + groupSizes.get(g)
                    + " different ways (filters or alternatives); at most "
                    + MAX_VARIANTS
                    + " are allowed"));
      }
    }
    return out;
  }

  private static String describe(Set<String> names) {
    Set<String> sorted = new TreeSet<>(names);
    return sorted.size() == 1
        ? "event '" + sorted.iterator().next() + "'"
        : "events " + String.join(", ", sorted.stream().map(n -> "'" + n + "'").toList());
  }
}
