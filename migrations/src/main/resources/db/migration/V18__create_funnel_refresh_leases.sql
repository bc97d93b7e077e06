-- Refreshes of each app's saved funnels, once per cluster: one row per app that received events.
--
-- Every node that loads an epoch changing an app raises wanted_position to that epoch (a monotonic
-- max, so the nodes loading the same epoch agree). One node at a time holds the app's lease
-- (lease_owner, unique per process, until lease_expires_at_ms; renewed while it refreshes), takes
-- it with a conditional UPDATE that succeeds only when the lease is free, expired or its own,
-- recomputes the saved funnels on its own DuckDB copy and raises refreshed_position to the load
-- position that copy had when the refresh started, never further. wanted_position >
-- refreshed_position means loads the cached reports do not include yet.
--
-- wanted_at_ms: since when the saved funnels have been behind (meaningful while they are);
-- refreshed_events: the app's events in the refreshing copy at refreshed_position (a status page
-- subtracts it from its own copy's count); lease_position: the position the holder refreshes to;
-- lease_taken_at_ms: when the latest refresh started (kept after the release); refresh_count:
-- refreshes finished, across the cluster.
CREATE TABLE funnel_refreshes (
  app_id              BIGINT       NOT NULL,
  wanted_position     BIGINT       NOT NULL,
  wanted_at_ms        BIGINT       NULL,
  refreshed_position  BIGINT       NOT NULL DEFAULT 0,
  refreshed_events    BIGINT       NULL,
  refreshed_at_ms     BIGINT       NULL,
  refreshed_by        VARCHAR(200) NULL,
  refresh_count       BIGINT       NOT NULL DEFAULT 0,
  lease_owner         VARCHAR(200) NULL,
  lease_node          VARCHAR(200) NULL,
  lease_expires_at_ms BIGINT       NULL,
  lease_taken_at_ms   BIGINT       NULL,
  lease_position      BIGINT       NULL,
  PRIMARY KEY (app_id),
  CONSTRAINT fk_funnel_refreshes_app FOREIGN KEY (app_id) REFERENCES tracked_apps (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
