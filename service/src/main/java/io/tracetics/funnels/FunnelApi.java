package io.tracetics.funnels;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * The funnel definition and responses. Their field names are part of the public API contract: never
 * rename them.
 */
public final class FunnelApi {
  private FunnelApi() {}

  /**
   * A funnel definition: saved (with a name) or sent for one report. {@code compare} is a report
   * parameter of the ad-hoc report call only (as the saved report's query parameter); a saved
   * funnel refuses it.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Definition(
      @JsonProperty("name") @Size(max = 200) String name,
      @JsonProperty("window_seconds") Long windowSeconds,
      @JsonProperty("order") String order,
      @JsonProperty("steps") @NotNull @Size(max = 50) @Valid List<@NotNull @Valid Step> steps,
      @JsonProperty("exclusions") @Size(max = 20) @Valid List<@NotNull @Valid Exclusion> exclusions,
      @JsonProperty("global_filters") @Size(max = 20) @Valid
          List<@NotNull @Valid Filter> globalFilters,
      @JsonProperty("hold_constant") @Size(max = 5) List<@NotNull String> holdConstant,
      @JsonProperty("breakdown") String breakdown,
      @JsonProperty("breakdown_limit") Integer breakdownLimit,
      @JsonProperty("breakdown_source") String breakdownSource,
      @JsonProperty("from") String from,
      @JsonProperty("to") String to,
      @JsonProperty("interval") String interval,
      @JsonProperty("cohorts") @Valid Cohorts cohorts,
      @JsonProperty("count_by") @Valid CountBy countBy,
      @JsonProperty("compare") String compare) {

    /** A definition that counts persons (no {@code count_by}) and has no {@code compare}. */
    public Definition(
        String name,
        Long windowSeconds,
        String order,
        List<Step> steps,
        List<Exclusion> exclusions,
        List<Filter> globalFilters,
        List<String> holdConstant,
        String breakdown,
        Integer breakdownLimit,
        String breakdownSource,
        String from,
        String to,
        String interval,
        Cohorts cohorts) {
      this(
          name,
          windowSeconds,
          order,
          steps,
          exclusions,
          globalFilters,
          holdConstant,
          breakdown,
          breakdownLimit,
          breakdownSource,
          from,
          to,
          interval,
          cohorts,
          null,
          null);
    }
  }

  /**
   * The counting unit: the values of a metadata property (an account, a company) instead of
   * persons. Events without the property are left out of the funnel.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CountBy(@JsonProperty("property") String property) {}

  /**
   * The persons a funnel counts, by cohort (ids of live cohorts of the same app): members of at
   * least one {@code include} cohort (their union; none named: everybody) that belong to none of
   * the {@code exclude} cohorts. Applied to the population before the funnel runs.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cohorts(
      @JsonProperty("include") @Size(max = 10) List<@NotNull Long> include,
      @JsonProperty("exclude") @Size(max = 10) List<@NotNull Long> exclude) {}

  /**
   * A step: either one event ({@code event_name} with optional {@code filters}) or several
   * alternatives ({@code any_of}, each an event name with filters); an optional display {@code
   * name}; after the first step an optional {@code within_seconds}, the longest time since the
   * previous step.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(
      @JsonProperty("event_name") String eventName,
      @JsonProperty("filters") @Size(max = 20) @Valid List<@NotNull @Valid Filter> filters,
      @JsonProperty("any_of") @Size(max = 50) @Valid List<@NotNull @Valid Alternative> anyOf,
      @JsonProperty("name") String name,
      @JsonProperty("within_seconds") Long withinSeconds) {

    /** A step of one event with its filters. */
    public Step(String eventName, List<Filter> filters) {
      this(eventName, filters, null, null, null);
    }
  }

  /** One alternative of a step's {@code any_of}: an event name and optional filters. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Alternative(
      @JsonProperty("event_name") @NotNull String eventName,
      @JsonProperty("filters") @Size(max = 20) @Valid List<@NotNull @Valid Filter> filters) {}

  /**
   * {@code value} is a string, number or boolean; an array for {@code in}; absent for is_set.
   * {@code source}: {@code event} (the event's metadata, the default) or {@code user} (the person's
   * current traits).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Filter(
      @JsonProperty("property") @NotNull String property,
      @JsonProperty("op") @NotNull String op,
      @JsonProperty("value") JsonNode value,
      @JsonProperty("source") String source) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Exclusion(
      @JsonProperty("event_name") @NotNull String eventName,
      @JsonProperty("filters") @Size(max = 20) @Valid List<@NotNull @Valid Filter> filters,
      @JsonProperty("from_step") @NotNull Integer fromStep,
      @JsonProperty("to_step") @NotNull Integer toStep) {}

  /** A saved funnel as the API returns it. */
  public record SavedFunnel(
      @JsonProperty("funnel_id") long funnelId,
      @JsonProperty("app_id") long appId,
      @JsonProperty("version") int version,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("updated_at") Instant updatedAt,
      @JsonUnwrapped Definition definition) {}

  public record FunnelList(
      @JsonProperty("funnels") List<SavedFunnel> funnels,
      @JsonProperty("next_cursor") String nextCursor) {}

  /**
   * The body of an actors call for a definition that is not saved: the definition, then the cell
   * and page as the saved funnel's call takes them in its query.
   */
  public record ActorsRequest(
      @JsonProperty("definition") @NotNull @Valid Definition definition,
      @JsonProperty("step") Integer step,
      @JsonProperty("status") String status,
      @JsonProperty("breakdown_value") String breakdownValue,
      @JsonProperty("breakdown_other") Boolean breakdownOther,
      @JsonProperty("breakdown_not_set") Boolean breakdownNotSet,
      @JsonProperty("period") String period,
      @JsonProperty("limit") Long limit,
      @JsonProperty("cursor") String cursor) {}
}
