-- Cohorts: static sets of people of one app, named by the identifiers given when the cohort was
-- created (an identifier resolves to its person when a funnel reads it, so a later identity merge
-- applies). A cohort never changes after it is created; it can only be deleted.
--
-- Creation and deletion reach the analytic stores like events and identifies do: the transaction
-- that makes the change writes a cohort_changes row under a new ingest_batches row, so the
-- sequencer gives it a commit epoch and the loader applies it to DuckDB exactly once, in the order
-- (epoch, id). A creation loads the cohort's members; a deletion removes them (a tombstone). A
-- rebuild replays the changes in the same order and ends with the same live cohorts.
CREATE TABLE cohorts (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  app_id        BIGINT       NOT NULL,
  name          VARCHAR(200) NOT NULL,
  member_count  INT          NOT NULL,
  created_at_ms BIGINT       NOT NULL,
  -- NULL while the cohort is live.
  deleted_at_ms BIGINT       NULL,
  PRIMARY KEY (id),
  KEY ix_cohorts_app (app_id, deleted_at_ms),
  KEY ix_cohorts_tenant (tenant_id, deleted_at_ms),
  CONSTRAINT fk_cohorts_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_cohorts_app FOREIGN KEY (app_id) REFERENCES tracked_apps (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The identifiers of a cohort as given (deduplicated), in the order given: id is the keyset the
-- members endpoint pages by. A deleted cohort keeps its rows; nothing reads them any more.
CREATE TABLE cohort_members (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  cohort_id       BIGINT       NOT NULL,
  user_identifier VARCHAR(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_cohort_members (cohort_id, user_identifier),
  KEY ix_cohort_members_page (cohort_id, id),
  CONSTRAINT fk_cohort_members_cohort FOREIGN KEY (cohort_id) REFERENCES cohorts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The ordered changes the loader applies: kind 'create' loads the cohort's members into the
-- analytic store, 'delete' removes them.
CREATE TABLE cohort_changes (
  id        BIGINT      NOT NULL AUTO_INCREMENT,
  batch_id  BIGINT      NOT NULL,
  app_id    BIGINT      NOT NULL,
  cohort_id BIGINT      NOT NULL,
  kind      VARCHAR(8)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_cohort_changes_batch (batch_id),
  CONSTRAINT ck_cohort_changes_kind CHECK (kind IN ('create', 'delete'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every plan limits cohorts like funnels (NULL: no limit); the built-in plan has none.
ALTER TABLE plans ADD COLUMN max_cohorts INT NULL;
UPDATE plans SET max_cohorts = 5 WHERE code = 'free';
UPDATE plans SET max_cohorts = 50 WHERE code = 'pro';
UPDATE plans SET max_cohorts = 500 WHERE code = 'business';
