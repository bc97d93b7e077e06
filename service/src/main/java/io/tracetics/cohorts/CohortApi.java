package io.tracetics.cohorts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** The cohort endpoints' bodies. Their field names are part of the public API contract. */
public final class CohortApi {
  private CohortApi() {}

  /**
   * A cohort to create from a list of identifiers (at most {@link CohortRules#MAX_IDENTIFIERS}; see
   * {@link CohortRules#members}). Bean validation stays off the list itself: its rules answer 400
   * with the position of the first bad identifier.
   */
  public record CreateRequest(
      @JsonProperty("name") String name,
      @JsonProperty("user_identifiers") List<String> userIdentifiers,
      @JsonProperty("from_actors") FromActors fromActors) {
    public CreateRequest(String name, List<String> userIdentifiers) {
      this(name, userIdentifiers, null);
    }
  }

  /**
   * A cohort of the people of one cell of a saved funnel's report: the actors call's cell and
   * report parameters (see the actors endpoint), taken as they are when the cohort is created.
   */
  public record FromActors(
      @JsonProperty("funnel_id") Long funnelId,
      @JsonProperty("step") Integer step,
      @JsonProperty("status") String status,
      @JsonProperty("breakdown_value") String breakdownValue,
      @JsonProperty("breakdown_other") Boolean breakdownOther,
      @JsonProperty("breakdown_not_set") Boolean breakdownNotSet,
      @JsonProperty("period") String period,
      @JsonProperty("from") String from,
      @JsonProperty("to") String to,
      @JsonProperty("breakdown") String breakdown,
      @JsonProperty("interval") String interval,
      @JsonProperty("mode") String mode,
      @JsonProperty("breakdown_source") String breakdownSource) {}

  /** A cohort as the API returns it; {@code deleted_at} only for a deleted one (never listed). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cohort(
      @JsonProperty("cohort_id") long cohortId,
      @JsonProperty("app_id") long appId,
      @JsonProperty("name") String name,
      @JsonProperty("member_count") int memberCount,
      @JsonProperty("created_at") Instant createdAt) {}

  public record CohortList(
      @JsonProperty("cohorts") List<Cohort> cohorts,
      @JsonProperty("next_cursor") String nextCursor) {}

  /**
   * One member: the identifier as given, and whether this node's analytic store knows it (it has
   * events or was named by an identify; false may also mean not loaded yet).
   */
  public record Member(
      @JsonProperty("user_identifier") String userIdentifier,
      @JsonProperty("known") boolean known) {}

  /** A page of members in the order given; {@code next_cursor} is null on the last page. */
  public record MemberPage(
      @JsonProperty("members") List<Member> members,
      @JsonProperty("next_cursor") String nextCursor) {}
}
