package io.tracetics.engine.query.rules;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.ValidationRule;
import io.tracetics.engine.query.Violation;
import java.time.Duration;
import java.util.List;

/** The conversion window is at least one second and at most {@link #MAX_WINDOW}. */
public final class WindowRule implements ValidationRule {
  public static final Duration MAX_WINDOW = Duration.ofDays(3660);

  @Override
  public String code() {
    return "window_out_of_range";
  }

  @Override
  public List<Violation> check(FunnelQuery q) {
    Duration w = q.window();
    if (w.compareTo(Duration.ofSeconds(1)) < 0) {
      return List.of(
          new Violation(
              code(), "window_seconds", "the conversion window must be at least 1 second"));
    }
    if (w.compareTo(MAX_WINDOW) > 0) {
      return List.of(
          new Violation(
              code(), "window_seconds", "the conversion window must be at most 3660 days"));
    }
    return List.of();
  }
}
