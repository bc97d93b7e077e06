package io.tracetics.engine.query;

import java.util.Objects;

/**
 * Split the funnel by one metadata property of the event that starts each user's attempt (or, with
 * {@link PropertySource#USER}, by one trait of the person): the top {@code limit} values by users
 * at step 1, the rest merged into one "other" group.
 */
public record Breakdown(String property, int limit, PropertySource source) {
  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 100;

  public Breakdown {
    Objects.requireNonNull(property, "property");
    source = source == null ? PropertySource.EVENT : source;
  }

  /** A breakdown by a metadata property. */
  public Breakdown(String property, int limit) {
    this(property, limit, PropertySource.EVENT);
  }

  public static Breakdown of(String property) {
    return new Breakdown(property, DEFAULT_LIMIT);
  }
}
