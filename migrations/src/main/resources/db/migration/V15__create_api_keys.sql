-- API keys: credentials of a tenant with scopes (what they may do) and optionally a list of apps
-- (where). Like every credential, only the SHA-256 of the key (in credentials) is stored. A key
-- stops working when revoked (credentials.revoked_at) or when expires_at has passed.
ALTER TABLE credentials
  DROP CONSTRAINT ck_credentials_kind,
  ADD CONSTRAINT ck_credentials_kind
    CHECK (kind IN ('tenant_key', 'management_token', 'app_key', 'write_key', 'api_key'));

CREATE TABLE api_keys (
  credential_id BIGINT       NOT NULL,
  tenant_id     BIGINT       NOT NULL,
  name          VARCHAR(100) NOT NULL,
  -- Scope names separated by spaces, such as 'reports:read sql:read'.
  scopes        VARCHAR(200) NOT NULL,
  -- App ids separated by spaces; NULL: every app of the tenant, present and future.
  app_ids       TEXT         NULL,
  expires_at    DATETIME(3)  NULL,
  -- Written at most once a minute per key and node, so it is the last use to the minute.
  last_used_at  DATETIME(3)  NULL,
  PRIMARY KEY (credential_id),
  KEY ix_api_keys_tenant (tenant_id),
  CONSTRAINT fk_api_keys_credential FOREIGN KEY (credential_id) REFERENCES credentials (id),
  CONSTRAINT fk_api_keys_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
