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
      @JsonProperty("compare") String compare) {

    /** A definition without {@code compare}: every saved one. */
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
          null);
    }
  }

  /**
   * The persons a funnel counts, by cohort (ids of live cohorts of the same app): members of at
   * least one {@code include} cohort (their union; none named: everybody) that belong to none of
   * the {@code exclude} cohorts. Applied to the population before the funnel runs.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cohorts(
      @JsonProperty("include") @Size(max = 10) List<@NotNull Long> include,
      @JsonProperty("exclude") @Size(max = 10) List<@NotNull Long> exclude) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(
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

  public record FunnelList(@JsonProperty("funnels") List<SavedFunnel> funnels) {}

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
