package io.tracetics.engine.query;

import java.util.Objects;

/**
 * Split the funnel by one metadata property of the event that starts each user's attempt: the top
 * {@code limit} values by users at step 1, the rest merged into one "other" group.
 */
public record Breakdown(String property, int limit) {
  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 100;

  public Breakdown {
    Objects.requireNonNull(property, "property");
  }

  public static Breakdown of(String property) {
    return new Breakdown(property, DEFAULT_LIMIT);
  }
}
