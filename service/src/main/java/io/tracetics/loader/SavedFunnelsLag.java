package io.tracetics.loader;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * How far an app's saved funnels' cached reports lag behind the loaded events: the load position
 * loads asked them to include ({@code wanted}) and the one the latest refresh included, the events
 * in between as this node's copy counts them (null when unknown), since when they have been behind,
 * the latest refresh, and the node refreshing them now, if any.
 */
public record SavedFunnelsLag(
    @JsonProperty("wanted_position") long wantedPosition,
    @JsonProperty("refreshed_position") long refreshedPosition,
    @JsonProperty("positions_behind") long positionsBehind,
    @JsonProperty("events_behind") Long eventsBehind,
    @JsonProperty("behind_since") Instant behindSince,
    @JsonProperty("lag_ms") long lagMs,
    @JsonProperty("last_refreshed_at") Instant lastRefreshedAt,
    @JsonProperty("last_refreshed_by") String lastRefreshedBy,
    @JsonProperty("refreshes") long refreshes,
    @JsonProperty("lease_node") String leaseNode,
    @JsonProperty("lease_expires_at") Instant leaseExpiresAt,
    @JsonProperty("refreshing_to") Long refreshingTo) {}
