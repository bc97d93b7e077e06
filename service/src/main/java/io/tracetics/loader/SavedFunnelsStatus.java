package io.tracetics.loader;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Map;

/** Saved funnels' refresh lag for the pipeline's status pages (kept by the funnels package). */
public interface SavedFunnelsStatus {

  /** The operator's view: cluster-wide, the apps behind or being refreshed, most behind first. */
  Cluster cluster(int limit);

  /**
   * The tenant's apps that have a refresh record, by app id, with {@code eventsBehind} from this
   * node's {@code loadedEvents} per app (one snapshot of its copy).
   */
  Map<Long, SavedFunnelsLag> ofTenant(TenantId tenant, Map<Long, Long> loadedEvents);

  /** Cluster-wide refresh state and this node's share. */
  record Cluster(
      @JsonProperty("lease_ttl_ms") long leaseTtlMs,
      @JsonProperty("check_interval_ms") long checkIntervalMs,
      @JsonProperty("refreshes_on_this_node") long refreshesOnThisNode,
      @JsonProperty("apps_behind") long appsBehind,
      @JsonProperty("apps") List<App> apps) {}

  /** One app's lag, with its id. */
  record App(@JsonProperty("app_id") long appId, @JsonUnwrapped SavedFunnelsLag lag) {}
}
