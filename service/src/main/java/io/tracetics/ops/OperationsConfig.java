package io.tracetics.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/** The admin port's readiness endpoint ({@code GET /ready}) and the drain before shutdown. */
public class OperationsConfig {
  /**
   * Once shutdown begins, {@code /ready} answers 503 for this long while the node still serves
   * requests, so load balancers take it out of rotation before its connectors close.
   */
  @JsonProperty @NotNull public Duration drainDelay = Duration.seconds(0);

  /** The readiness check waits at most this long for MariaDB's answer. */
  @JsonProperty @NotNull public Duration databaseCheckTimeout = Duration.seconds(1);

  /** A database check's result is reused this long, however often {@code /ready} is polled. */
  @JsonProperty @NotNull public Duration databaseCheckCache = Duration.seconds(1);
}
