package io.tracetics.engine.query;

import java.util.List;

/** One check of a funnel query. Each rule has a stable {@link #code()} and reports all its hits. */
public interface ValidationRule {

  /** The snake_case code of the violations this rule reports. */
  String code();

  List<Violation> check(FunnelQuery query);
}
