package io.tracetics.engine.store;

import java.util.List;
import java.util.Objects;

/**
 * One change of a cohort as the loader hands it to the store: a creation with the cohort's members
 * (identifiers; they resolve to persons when a funnel reads them), or a deletion, which removes
 * them (a tombstone). Cohort ids are unique across apps and a cohort never changes after its
 * creation, so the store applies a creation by replacing whatever it holds for the id.
 *
 * @param members the identifiers of a creation (distinct); empty for a deletion
 */
public record CohortChange(long appId, long cohortId, boolean deleted, List<String> members) {

  public CohortChange {
    members = List.copyOf(Objects.requireNonNull(members, "members"));
    if (deleted && !members.isEmpty()) {
      throw new IllegalArgumentException("a deletion has no members");
    }
  }

  /** The creation of a cohort with {@code members}. */
  public static CohortChange created(long appId, long cohortId, List<String> members) {
    return new CohortChange(appId, cohortId, false, members);
  }

  /** The deletion of a cohort. */
  public static CohortChange deleted(long appId, long cohortId) {
    return new CohortChange(appId, cohortId, true, List.of());
  }
}
