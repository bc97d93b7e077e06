package io.tracetics.explore;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.tracetics.engine.explore.ExploreLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Limits of tenants' SQL exploration ({@code POST /api/v1/apps/{app_id}/sql}). */
public class ExploreConfig {
  /** A query's time limit, from receipt to the last row sent (whole seconds). */
  @JsonProperty @NotNull public Duration timeout = Duration.seconds(10);

  /** Rows returned at most; the answer says when it was cut. */
  @JsonProperty
  @Min(1)
  public int maxRows = 100_000;

  /** Exploration queries running at once on a node; more get 429 (they never queue). */
  @JsonProperty
  @Min(1)
  @Max(64)
  public int maxConcurrent = 2;

  /** Characters of query text at most. */
  @JsonProperty
  @Min(1)
  public int maxQueryLength = 20_000;

  public ExploreLimits limits() {
    return new ExploreLimits(timeout.toJavaDuration(), maxRows, maxConcurrent, maxQueryLength);
  }
}
