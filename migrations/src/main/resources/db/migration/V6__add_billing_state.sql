-- Billing state beyond V1's subscription columns. Stripe times are epoch seconds (Stripe's unit),
-- like tenants.subscription_state_at.
--
-- The grace clock: when a payment fails, the paid plan's limits stay until grace_until; after it
-- the tenant is treated as on the free plan until a payment succeeds (see TenantDao's effective
-- plan). payment_state_at orders invoice events the way subscription_state_at orders
-- subscription states: an older invoice event never undoes a newer one.
ALTER TABLE tenants
  ADD COLUMN payment_failed_at BIGINT NULL,
  ADD COLUMN grace_until       BIGINT NULL,
  ADD COLUMN payment_state_at  BIGINT NULL;

-- Subscriptions Stripe has ended (deleted). An ended subscription never comes back: a late
-- "updated" event for it is ignored. A new subscription id starts a new one.
CREATE TABLE stripe_ended_subscriptions (
  subscription_id VARCHAR(255) NOT NULL,
  tenant_id       BIGINT       NULL,
  -- created time of the event that ended it
  ended_at        BIGINT       NOT NULL,
  recorded_at     DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (subscription_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
