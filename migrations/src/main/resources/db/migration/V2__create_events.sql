-- The system of record for events, and the bookkeeping the loader needs to copy them into
-- DuckDB exactly once.
--
-- Every ingest transaction (one group commit) inserts one ingest_batches row and then its
-- events, all carrying that batch id. Auto-increment ids become visible out of order, so the
-- loader never trusts "max id seen". Instead a sequencer assigns each COMMITTED batch a commit
-- epoch (seq) in its own transaction, serialised on the pipeline_sequence row: a batch that is
-- still in flight has seq NULL and gets a later epoch once it commits. Epochs therefore become
-- visible in increasing order and never change, so "all epochs <= N" is a complete, immutable
-- set of events: the loader's position is the last epoch it committed into DuckDB.

CREATE TABLE ingest_batches (
  id              BIGINT NOT NULL AUTO_INCREMENT,
  event_count     INT    NOT NULL,
  created_at_ms   BIGINT NOT NULL,
  seq             BIGINT NULL,
  sequenced_at_ms BIGINT NULL,
  PRIMARY KEY (id),
  KEY ix_ingest_batches_seq (seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE pipeline_sequence (
  id       TINYINT NOT NULL,
  last_seq BIGINT  NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;

INSERT INTO pipeline_sequence (id, last_seq) VALUES (1, 0);

CREATE TABLE events (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  app_id          BIGINT       NOT NULL,
  batch_id        BIGINT       NOT NULL,
  user_identifier VARCHAR(255) NOT NULL,
  event_name      VARCHAR(200) NOT NULL,
  -- Times are epoch milliseconds, UTC.
  event_time_ms   BIGINT       NOT NULL,
  received_at_ms  BIGINT       NOT NULL,
  sent_at_ms      BIGINT       NULL,
  client_event_id VARCHAR(128) NULL,
  metadata        LONGTEXT     NULL,
  PRIMARY KEY (id),
  -- A retried event (same client event id in the same app) is stored once.
  UNIQUE KEY uq_events_client_id (app_id, client_event_id),
  KEY ix_events_batch (batch_id),
  KEY ix_events_app_time (app_id, event_time_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Exact monthly event counts per tenant, updated in the same transaction as the events they count.
CREATE TABLE usage_counters (
  tenant_id BIGINT  NOT NULL,
  period    CHAR(7) NOT NULL,
  accepted  BIGINT  NOT NULL DEFAULT 0,
  rejected  BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, period)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Rows the loader could not load, with the reason; they no longer block the rows behind them.
CREATE TABLE quarantined_events (
  event_id       BIGINT        NOT NULL,
  app_id         BIGINT        NOT NULL,
  reason         VARCHAR(1000) NOT NULL,
  quarantined_at DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
