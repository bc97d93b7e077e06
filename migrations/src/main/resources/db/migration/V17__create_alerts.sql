-- Alerts on saved funnels: a condition on one step's metric, evaluated after each refresh of the
-- funnel's report, with a signed webhook when it starts and stops holding.
--
-- state and version make each transition a compare-and-set: every node refreshes the funnel, but
-- only the UPDATE that still finds the version it read changes the state, and the delivery row is
-- inserted in that transaction, so one transition gives one delivery across the cluster.
-- evaluated_position is the load position of the newest report evaluated: a node whose copy lags
-- behind can neither overwrite a newer evaluation nor undo a transition made on newer data.
--
-- secret signs the webhooks (HMAC-SHA256), so it must be recoverable: it is stored as generated,
-- is returned only by the creation call and is never logged.
CREATE TABLE alerts (
  id                   BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id            BIGINT        NOT NULL,
  app_id               BIGINT        NOT NULL,
  funnel_id            BIGINT        NOT NULL,
  name                 VARCHAR(200)  NULL,
  step                 INT           NOT NULL,
  metric               VARCHAR(32)   NOT NULL,
  condition_kind       VARCHAR(16)   NOT NULL,
  threshold            DOUBLE        NOT NULL,
  min_entered          BIGINT        NOT NULL,
  webhook_url          VARCHAR(2048) NOT NULL,
  secret               VARCHAR(100)  NOT NULL,
  state                VARCHAR(8)    NOT NULL DEFAULT 'ok',
  version              INT           NOT NULL DEFAULT 0,
  -- The last evaluation: its outcome (true, false, not_evaluable), value, entrants and time.
  evaluated_position   BIGINT        NOT NULL DEFAULT 0,
  last_outcome         VARCHAR(16)   NULL,
  last_value           DOUBLE        NULL,
  last_entered         BIGINT        NULL,
  last_evaluated_at_ms BIGINT        NULL,
  created_at_ms        BIGINT        NOT NULL,
  -- NULL while the alert is live.
  deleted_at_ms        BIGINT        NULL,
  PRIMARY KEY (id),
  KEY ix_alerts_app (tenant_id, app_id, deleted_at_ms),
  KEY ix_alerts_funnel (funnel_id, deleted_at_ms),
  CONSTRAINT fk_alerts_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_alerts_app FOREIGN KEY (app_id) REFERENCES tracked_apps (id),
  CONSTRAINT fk_alerts_funnel FOREIGN KEY (funnel_id) REFERENCES funnels (id) ON DELETE CASCADE,
  CONSTRAINT ck_alerts_state CHECK (state IN ('ok', 'firing'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One webhook to send per transition. payload is the body without sent_at (added at each attempt).
-- A sender claims a due delivery by a conditional UPDATE that takes the lease and counts the
-- attempt, so two nodes never send the same attempt; a lease left by a node that died runs out
-- and the next claim makes a new attempt.
CREATE TABLE alert_deliveries (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id       BIGINT       NOT NULL,
  alert_id        BIGINT       NOT NULL,
  event           VARCHAR(16)  NOT NULL,
  payload         LONGTEXT     NOT NULL,
  -- pending: to send (again); delivered: a 2xx answered; failed: out of attempts;
  -- cancelled: the alert was deleted first.
  status          VARCHAR(16)  NOT NULL DEFAULT 'pending',
  attempts        INT          NOT NULL DEFAULT 0,
  next_attempt_ms BIGINT       NOT NULL,
  lease_owner     VARCHAR(200) NULL,
  lease_until_ms  BIGINT       NULL,
  created_at_ms   BIGINT       NOT NULL,
  finished_at_ms  BIGINT       NULL,
  PRIMARY KEY (id),
  KEY ix_alert_deliveries_due (status, next_attempt_ms),
  KEY ix_alert_deliveries_alert (alert_id, id),
  CONSTRAINT fk_alert_deliveries_alert FOREIGN KEY (alert_id) REFERENCES alerts (id) ON DELETE CASCADE,
  CONSTRAINT ck_alert_deliveries_event CHECK (event IN ('fired', 'resolved')),
  CONSTRAINT ck_alert_deliveries_status
    CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each attempt's outcome: the HTTP status, or the class of error when there was no answer
-- (refused_target, timeout, connection_failed, ...), and when the next one is due (NULL: none).
CREATE TABLE alert_delivery_attempts (
  id               BIGINT       NOT NULL AUTO_INCREMENT,
  delivery_id      BIGINT       NOT NULL,
  attempt          INT          NOT NULL,
  at_ms            BIGINT       NOT NULL,
  status_code      INT          NULL,
  error            VARCHAR(64)  NULL,
  duration_ms      BIGINT       NOT NULL,
  next_retry_ms    BIGINT       NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_alert_delivery_attempts (delivery_id, attempt),
  CONSTRAINT fk_alert_delivery_attempts_delivery
    FOREIGN KEY (delivery_id) REFERENCES alert_deliveries (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
