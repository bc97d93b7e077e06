-- Saved funnel definitions and their cached results.

CREATE TABLE funnels (
  id                BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id         BIGINT       NOT NULL,
  app_id            BIGINT       NOT NULL,
  name              VARCHAR(200) NOT NULL,
  window_seconds    BIGINT       NOT NULL,
  order_mode        VARCHAR(16)  NOT NULL,
  -- Exclusions, hold-constant properties and report defaults (breakdown, interval, range) as JSON.
  options           LONGTEXT     NOT NULL,
  version           INT          NOT NULL DEFAULT 1,
  created_at        DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at        DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  deleted_at        DATETIME(3)  NULL,
  PRIMARY KEY (id),
  KEY ix_funnels_app (app_id, deleted_at),
  KEY ix_funnels_tenant (tenant_id, deleted_at),
  CONSTRAINT fk_funnels_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_funnels_app FOREIGN KEY (app_id) REFERENCES tracked_apps (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE funnel_steps (
  funnel_id  BIGINT       NOT NULL,
  step_index INT          NOT NULL,
  event_name VARCHAR(200) NOT NULL,
  -- Property filters on metadata, as JSON: [{"property", "op", "value"}].
  filters    LONGTEXT     NOT NULL,
  PRIMARY KEY (funnel_id, step_index),
  CONSTRAINT fk_funnel_steps_funnel FOREIGN KEY (funnel_id) REFERENCES funnels (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per (funnel, report parameters). data_through_seq is the loader epoch the result includes.
CREATE TABLE funnel_results (
  funnel_id        BIGINT     NOT NULL,
  params_hash      BINARY(32) NOT NULL,
  funnel_version   INT        NOT NULL,
  params           LONGTEXT   NOT NULL,
  result           LONGTEXT   NOT NULL,
  computed_at_ms   BIGINT     NOT NULL,
  data_through_seq BIGINT     NOT NULL,
  data_through_ms  BIGINT     NULL,
  PRIMARY KEY (funnel_id, params_hash),
  CONSTRAINT fk_funnel_results_funnel FOREIGN KEY (funnel_id) REFERENCES funnels (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
