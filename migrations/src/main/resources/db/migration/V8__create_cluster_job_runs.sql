-- One row per fire of a cluster-wide scheduled job (Scheduling.everyOnceInCluster): which node
-- ran it, when, and how it ended. The key is the trigger's SCHEDULED fire time, so a second fire
-- of the same tick (on any node) cannot insert a second row: it counts itself in duplicate_fires
-- and does no work. Operators read this table to see where cluster jobs run; the jobs prune their
-- own old rows.
CREATE TABLE cluster_job_runs (
  job_name          VARCHAR(100)  NOT NULL,
  scheduled_fire_ms BIGINT        NOT NULL,
  node              VARCHAR(190)  NOT NULL,
  started_at_ms     BIGINT        NOT NULL,
  finished_at_ms    BIGINT        NULL,
  outcome           VARCHAR(1000) NULL,
  duplicate_fires   INT           NOT NULL DEFAULT 0,
  PRIMARY KEY (job_name, scheduled_fire_ms),
  KEY ix_cluster_job_runs_started (job_name, started_at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
