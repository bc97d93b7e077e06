package io.tracetics.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/**
 * Quartz settings. Per-node jobs (loading this node's DuckDB copy) always run on an in-memory
 * scheduler. Cluster-wide jobs run once across the cluster: on the JDBC job store in MariaDB when
 * {@code clustered} is true, else on an in-memory scheduler (single node, no set-up).
 */
public class QuartzConfig {
  @JsonProperty public boolean clustered = false;

  @JsonProperty
  @Min(1)
  public int threads = 4;

  /** Milliseconds between cluster check-ins; a dead node's jobs move after a few of these. */
  @JsonProperty
  @Min(500)
  public long clusterCheckinIntervalMillis = 2_000;
}
