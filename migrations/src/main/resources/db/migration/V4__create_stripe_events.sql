-- Stripe events already applied, so a redelivered event is applied at most once.
CREATE TABLE stripe_events (
  id           VARCHAR(255) NOT NULL,
  type         VARCHAR(100) NOT NULL,
  created      BIGINT       NOT NULL,
  tenant_id    BIGINT       NULL,
  processed_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
