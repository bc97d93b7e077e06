package io.tracetics.loader;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The micro-batch pipeline that copies committed events from MariaDB into the node's DuckDB. */
public class PipelineConfig {
  /** Run the loader on this node. Off only for special deployments (ingest-only nodes). */
  @JsonProperty public boolean enabled = true;

  /** How often the Quartz load job fires; inside a run it also wakes on Redis notices. */
  @JsonProperty @NotNull public Duration loadInterval = Duration.seconds(1);

  /** Upper bound of events per commit epoch, so one burst cannot stall the pipeline. */
  @JsonProperty
  @Min(100)
  @Max(1_000_000)
  public int maxEventsPerEpoch = 50_000;

  /** Upper bound of epochs loaded in one job run before yielding. */
  @JsonProperty
  @Min(1)
  public int maxEpochsPerRun = 20;

  /**
   * Least time from the start of one load to the next while notices keep arriving: a steady stream
   * is loaded in fewer, bigger DuckDB transactions instead of one per ingest commit. Adds at most
   * this much to the time until an event is visible to funnels.
   */
  @JsonProperty @NotNull public Duration minLoadSpacing = Duration.milliseconds(200);

  /** How long one XREADGROUP waits for a notice. */
  @JsonProperty @NotNull public Duration noticeWait = Duration.milliseconds(200);

  /** Notices pending this long with a consumer (a dead one) are reclaimed. */
  @JsonProperty @NotNull public Duration reclaimIdle = Duration.seconds(30);

  /** Backoff of a failing epoch: initial delay, doubled per failure up to the maximum. */
  @JsonProperty @NotNull public Duration retryInitialBackoff = Duration.milliseconds(500);

  @JsonProperty @NotNull public Duration retryMaxBackoff = Duration.seconds(30);

  /** Failures of an epoch before its rows are tried one by one and bad ones quarantined. */
  @JsonProperty
  @Min(1)
  public int attemptsBeforeIsolation = 3;

  /**
   * Where a node with an empty DuckDB file starts: {@code beginning} (default) loads every event
   * ever committed; {@code latest} skips the history and loads only what commits from now on (for
   * throwaway nodes such as test instances; such a copy is not complete — rebuild it to make it
   * so).
   */
  @JsonProperty @NotNull public StartAt startAt = StartAt.BEGINNING;

  /** See {@link #startAt}. */
  public enum StartAt {
    @com.fasterxml.jackson.annotation.JsonProperty("beginning")
    BEGINNING,
    @com.fasterxml.jackson.annotation.JsonProperty("latest")
    LATEST
  }

  /**
   * This node's name: its Redis consumer group is {@code loader-<nodeName>}, so every node sees
   * every notice. Empty: derived from the host name and the DuckDB file.
   */
  @JsonProperty @NotNull public String nodeName = "";

  /** How often the cluster-wide job trims acknowledged notices off the Redis stream. */
  @JsonProperty @NotNull public Duration noticeTrimInterval = Duration.minutes(1);
}
