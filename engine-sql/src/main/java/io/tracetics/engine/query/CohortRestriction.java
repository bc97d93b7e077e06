package io.tracetics.engine.query;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which persons a funnel counts, by cohort, applied to the population before the funnel runs: a
 * person counts when it belongs to at least one {@code include} cohort (their union; no include
 * cohort: everybody) and to none of the {@code exclude} cohorts. A person belongs to a cohort when
 * one of its identifiers is a member, resolved with the identities of the moment the funnel runs. A
 * cohort the store does not hold (deleted, or not loaded yet) has no members.
 */
public record CohortRestriction(Set<Long> include, Set<Long> exclude) {

  public static final CohortRestriction NONE = new CohortRestriction(Set.of(), Set.of());

  public CohortRestriction {
    // Sorted, so equal restrictions plan the same SQL.
    include = java.util.Collections.unmodifiableSet(new TreeSet<>(Objects.requireNonNull(include)));
    exclude = java.util.Collections.unmodifiableSet(new TreeSet<>(Objects.requireNonNull(exclude)));
  }

  /** Whether the restriction leaves everybody in (no cohort named). */
  public boolean isEmpty() {
    return include.isEmpty() && exclude.isEmpty();
  }
}
