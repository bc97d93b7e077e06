package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.PropertyFilter;
import java.util.List;
import java.util.function.BiConsumer;

/** Helpers shared by the rules: walking every filter list of a query with its field path. */
final class Rules {
  private Rules() {}

  static void forEachFilterList(FunnelQuery q, BiConsumer<String, List<PropertyFilter>> action) {
    for (int i = 0; i < q.steps().size(); i++) {
      action.accept("steps[" + i + "]", q.steps().get(i).filters());
    }
    for (int i = 0; i < q.exclusions().size(); i++) {
      Exclusion e = q.exclusions().get(i);
      action.accept("exclusions[" + i + "]", e.filters());
    }
  }
}
