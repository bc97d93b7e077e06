package io.tracetics.tenancy;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * One plan as the configuration defines it ({@code tenancy.plans}). A limit left out (or null)
 * means "no limit".
 */
public class PlanConfig {
  /** The stable code tenants, Stripe prices and the API name the plan by. */
  @JsonProperty
  @NotBlank
  @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,31}", message = "must be 1-32 of a-z, 0-9, _ and -")
  public String code;

  /** What people read. */
  @JsonProperty
  @NotBlank
  @Size(max = 100)
  public String name;

  @JsonProperty
  @Min(0)
  public Integer maxApps;

  @JsonProperty
  @Min(0)
  public Integer maxFunnels;

  @JsonProperty
  @Min(0)
  public Integer maxCohorts;

  @JsonProperty
  @Min(0)
  public Long maxMonthlyEvents;

  public PlanConfig() {}

  public PlanConfig(
      String code,
      String name,
      Integer maxApps,
      Integer maxFunnels,
      Integer maxCohorts,
      Long maxMonthlyEvents) {
    this.code = code;
    this.name = name;
    this.maxApps = maxApps;
    this.maxFunnels = maxFunnels;
    this.maxCohorts = maxCohorts;
    this.maxMonthlyEvents = maxMonthlyEvents;
  }

  /** The plans of a configuration that defines none: the three of a hosted offer. */
  public static List<PlanConfig> defaults() {
    return List.of(
        new PlanConfig("free", "Free", 2, 5, 5, 100_000L),
        new PlanConfig("pro", "Pro", 10, 50, 50, 5_000_000L),
        new PlanConfig("business", "Business", 100, 500, 500, 100_000_000L));
  }
}
