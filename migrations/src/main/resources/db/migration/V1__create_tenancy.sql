-- Plans, tenants, tracked apps and their credentials.
-- All text that identifies something (keys, names used as identifiers) is compared byte-for-byte (utf8mb4_bin).

CREATE TABLE plans (
  code               VARCHAR(32)  NOT NULL,
  name               VARCHAR(100) NOT NULL,
  max_apps           INT          NOT NULL,
  max_funnels        INT          NOT NULL,
  max_monthly_events BIGINT       NOT NULL,
  sort_order         INT          NOT NULL,
  PRIMARY KEY (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO plans (code, name, max_apps, max_funnels, max_monthly_events, sort_order) VALUES
  ('free',     'Free',     2,   5,   100000,    0),
  ('pro',      'Pro',      10,  50,  5000000,   1),
  ('business', 'Business', 100, 500, 100000000, 2);

CREATE TABLE tenants (
  id                          BIGINT       NOT NULL AUTO_INCREMENT,
  name                        VARCHAR(200) NOT NULL,
  plan_code                   VARCHAR(32)  NOT NULL DEFAULT 'free',
  created_at                  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  -- Subscription state, written only by the Stripe webhook handler.
  stripe_customer_id          VARCHAR(255) NULL,
  stripe_subscription_id      VARCHAR(255) NULL,
  subscription_status         VARCHAR(32)  NULL,
  current_period_end          DATETIME(3)  NULL,
  -- Creation time (epoch seconds) of the newest Stripe object state applied; older states never roll back.
  subscription_state_at       BIGINT       NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_tenants_stripe_customer (stripe_customer_id),
  CONSTRAINT fk_tenants_plan FOREIGN KEY (plan_code) REFERENCES plans (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tracked_apps (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id  BIGINT       NOT NULL,
  name       VARCHAR(200) NOT NULL,
  created_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  -- Deleting an app hides it and revokes its key; its events stay in the system of record.
  deleted_at DATETIME(3)  NULL,
  PRIMARY KEY (id),
  KEY ix_tracked_apps_tenant (tenant_id, deleted_at),
  CONSTRAINT fk_tracked_apps_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Keys and tokens are stored only as SHA-256 hashes of the full secret; key_prefix is the
-- non-secret start of the key, kept so a person can tell keys apart.
CREATE TABLE credentials (
  id         BIGINT      NOT NULL AUTO_INCREMENT,
  tenant_id  BIGINT      NOT NULL,
  app_id     BIGINT      NULL,
  kind       VARCHAR(32) NOT NULL,
  key_hash   BINARY(32)  NOT NULL,
  key_prefix VARCHAR(16) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  revoked_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_credentials_hash (key_hash),
  KEY ix_credentials_owner (tenant_id, kind, app_id),
  CONSTRAINT ck_credentials_kind CHECK (kind IN ('tenant_key', 'management_token', 'app_key')),
  CONSTRAINT fk_credentials_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_credentials_app FOREIGN KEY (app_id) REFERENCES tracked_apps (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
