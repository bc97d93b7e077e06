package io.tracetics.funnels;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Saved funnels' refreshes after loads: once per cluster and app, under a lease in MariaDB. */
public class FunnelsConfig {
  /**
   * How long an app's refresh lease holds without renewal (its holder renews it every third of this
   * while it refreshes). A node that dies while refreshing is replaced within about this plus
   * {@link #refreshCheckInterval}; a node whose copy lags behind the loads also waits this long for
   * a caught-up node before it refreshes up to what it has.
   */
  @JsonProperty
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  public Duration refreshLeaseTtl = Duration.seconds(15);

  /** How often each node looks for apps whose saved funnels are behind and nobody refreshes. */
  @JsonProperty
  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  public Duration refreshCheckInterval = Duration.seconds(2);

  /**
   * For tests only: a pause before each saved funnel's recomputation in a refresh, so a refresh
   * lasts long enough to be observed (and interrupted). Zero in production.
   */
  @JsonProperty @NotNull public Duration refreshDelayForTests = Duration.milliseconds(0);
}
