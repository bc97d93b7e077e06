package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.PropertyFilter;
import java.util.List;
import java.util.function.BiConsumer;

/** Helpers shared by the rules: walking every filter list of a query with its field path. */
final class Rules {
  private Rules() {}

  /**
   * The field path of alternative {@code j} of step {@code i}: {@code steps[i]} for a step with one
   * alternative (written with {@code event_name}), else {@code steps[i].any_of[j]}.
   */
  static String alternative(FunnelStep step, int i, int j) {
    return step.hasAlternatives() ? "steps[" + i + "].any_of[" + j + "]" : "steps[" + i + "]";
  }

  static void forEachFilterList(FunnelQuery q, BiConsumer<String, List<PropertyFilter>> action) {
    for (int i = 0; i < q.steps().size(); i++) {
      FunnelStep step = q.steps().get(i);
      for (int j = 0; j < step.anyOf().size(); j++) {
        action.accept(alternative(step, i, j), step.anyOf().get(j).filters());
      }
    }
    for (int i = 0; i < q.exclusions().size(); i++) {
      Exclusion e = q.exclusions().get(i);
      action.accept("exclusions[" + i + "]", e.filters());
    }
  }
}
