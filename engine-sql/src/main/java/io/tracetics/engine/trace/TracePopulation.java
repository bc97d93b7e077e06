package io.tracetics.engine.trace;

import io.tracetics.engine.query.CohortRestriction;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Whether a person is in a funnel's population, the persons its cohort restriction lets in ({@link
 * CohortRestriction}), and if not, why. A person outside it is counted at no step, whatever its
 * events.
 *
 * @param reason empty when the person is in the population
 * @param cohortId the excluded cohort the person belongs to (the smallest id when several), for
 *     {@link Reason#IN_EXCLUDED_COHORT} only
 */
public record TracePopulation(
    boolean inPopulation, Optional<Reason> reason, OptionalLong cohortId) {

  /** Inside: the funnel names no cohort, or the person passes its restriction. */
  public static final TracePopulation IN = new TracePopulation(true, Optional.empty(), empty());

  /** Why a person is outside the population: stable snake_case codes. */
  public enum Reason {
    /** The funnel includes cohorts and the person belongs to none of them. */
    NOT_IN_INCLUDED_COHORTS,
    /** The person belongs to one of the funnel's excluded cohorts. */
    IN_EXCLUDED_COHORT;

    /** The API spelling, e.g. {@code in_excluded_cohort}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public TracePopulation {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(cohortId, "cohortId");
    if (inPopulation == reason.isPresent()) {
      throw new IllegalArgumentException("a reason is given exactly when outside the population");
    }
    if (cohortId.isPresent() != (reason.orElse(null) == Reason.IN_EXCLUDED_COHORT)) {
      throw new IllegalArgumentException("a cohort id is given exactly for an excluded cohort");
    }
  }

  /**
   * Where a person stands under {@code restriction}, given the cohorts of the restriction it
   * belongs to ({@code memberOf}; others are ignored). Not being in an included cohort is reported
   * before being in an excluded one: the includes define the population the excludes remove from.
   */
  public static TracePopulation of(CohortRestriction restriction, Set<Long> memberOf) {
    Objects.requireNonNull(restriction, "restriction");
    Objects.requireNonNull(memberOf, "memberOf");
    if (!restriction.include().isEmpty()
        && restriction.include().stream().noneMatch(memberOf::contains)) {
      return new TracePopulation(false, Optional.of(Reason.NOT_IN_INCLUDED_COHORTS), empty());
    }
    // The restriction's sets are sorted: the first hit is the smallest id.
    for (long id : restriction.exclude()) {
      if (memberOf.contains(id)) {
        return new TracePopulation(
            false, Optional.of(Reason.IN_EXCLUDED_COHORT), OptionalLong.of(id));
      }
    }
    return IN;
  }

  private static OptionalLong empty() {
    return OptionalLong.empty();
  }
}
