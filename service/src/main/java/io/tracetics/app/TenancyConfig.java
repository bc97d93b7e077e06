package io.tracetics.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/** Operator access and credential caching. */
public class TenancyConfig {

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
