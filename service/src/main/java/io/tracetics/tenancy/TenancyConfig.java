package io.tracetics.tenancy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/** Operator access, plans and credential caching. */
public class TenancyConfig {

  /**
   * The plans tenants can be on, in the order they are offered; {@code free} must be one of them (a
   * lapsed subscription falls back to it). The built-in plan {@code unlimited} comes on top.
   * Written into the database at every start; a plan removed here stays for the tenants on it.
   */
  @JsonProperty @Valid @NotNull
  public List<PlanConfig> plans = new ArrayList<>(PlanConfig.defaults());

  /**
   * The plan of new tenants. Empty: {@code unlimited} when billing is off (no Stripe webhook
   * secret), {@code free} when Stripe manages plans.
   */
  @JsonProperty @NotNull public String defaultPlan = "";

  /**
   * Bearer token for operator calls (creating tenants, pipeline status). Empty: a random token is
   * generated on first start and kept in {@code <dataDir>/operator-token} (mode 0600).
   */
  @JsonProperty @NotNull public String operatorToken = "";

  /** How long a resolved key stays cached; revocations on other nodes take effect within this. */
  @JsonProperty @NotNull public Duration keyCacheTtl = Duration.seconds(30);

  /** How long an unknown key is remembered as unknown, keeping garbage keys off the database. */
  @JsonProperty @NotNull public Duration unknownKeyCacheTtl = Duration.seconds(5);

  @JsonProperty public long keyCacheMaxEntries = 100_000;
}
