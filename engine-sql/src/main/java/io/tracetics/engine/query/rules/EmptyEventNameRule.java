package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.util.ArrayList;
import java.util.List;

/** Every step and exclusion names an event (non-blank, at most 200 characters). */
public final class EmptyEventNameRule implements ValidationRule {
  static final int MAX_LENGTH = 200;

  @Override
  public String code() {
    return "bad_event_name";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    List<Violation> out = new ArrayList<>();
    for (int i = 0; i < q.steps().size(); i++) {
      var step = q.steps().get(i);
      for (int j = 0; j < step.anyOf().size(); j++) {
        checkName(
            step.anyOf().get(j).eventName(), Rules.alternative(step, i, j) + ".event_name", out);
      }
    }
    for (int i = 0; i < q.exclusions().size(); i++) {
      checkName(q.exclusions().get(i).eventName(), "exclusions[" + i + "].event_name", out);
    }
    return out;
  }

  private void checkName(String name, String field, List<Violation> out) {
    if (name.isBlank()) {
      out.add(new Violation(code(), field, "the event name must not be empty"));
    } else if (name.length() > MAX_LENGTH) {
      out.add(
          new Violation(
              code(), field, "the event name is longer than " + MAX_LENGTH + " characters"));
    }
  }
}
