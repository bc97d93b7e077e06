package io.tracetics.alerts;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Alerts' webhooks: which targets they may reach, how they are sent and retried. */
public class AlertsConfig {
  /**
   * Lets webhooks reach private, loopback and link-local addresses: for tests and closed networks
   * only, since it lets tenants make this service call into its own network.
   */
  @JsonProperty public boolean allowPrivateTargets = false;

  /** How often each node looks for webhooks due (a transition also wakes its own node at once). */
  @JsonProperty @NotNull public Duration pollInterval = Duration.seconds(1);

  /** Attempts per webhook, the first included; after the last failure it stays failed. */
  @JsonProperty
  @Min(1)
  @Max(50)
  public int maxAttempts = 8;

  /** The delay after the first failed attempt, doubling after each further one. */
  @JsonProperty @NotNull public Duration retryInitialBackoff = Duration.seconds(30);

  @JsonProperty @NotNull public Duration retryMaxBackoff = Duration.hours(1);

  @JsonProperty @NotNull public Duration connectTimeout = Duration.seconds(5);

  /** The whole request, from sending to the receiver's status line. */
  @JsonProperty @NotNull public Duration requestTimeout = Duration.seconds(10);

  public DeliveryBackoff backoff() {
    return new DeliveryBackoff(
        maxAttempts, retryInitialBackoff.toMilliseconds(), retryMaxBackoff.toMilliseconds());
  }
}
