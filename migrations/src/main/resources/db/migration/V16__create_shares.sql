-- Share links: read-only links to one saved funnel's report, opened without signing in. The token
-- itself is never stored, only its SHA-256 (like credentials). A link is dead once revoked, once
-- past expires_at_ms, or once its funnel or app is deleted (the lookup joins both).
CREATE TABLE funnel_shares (
  id                 BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id          BIGINT       NOT NULL,
  app_id             BIGINT       NOT NULL,
  funnel_id          BIGINT       NOT NULL,
  token_hash         BINARY(32)   NOT NULL,
  -- The report parameters a viewer may change, comma-separated ('' for none).
  allowed_parameters VARCHAR(200) NOT NULL,
  created_at_ms      BIGINT       NOT NULL,
  -- NULL: never expires.
  expires_at_ms      BIGINT       NULL,
  -- NULL while the link is live.
  revoked_at_ms      BIGINT       NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_funnel_shares_token (token_hash),
  KEY ix_funnel_shares_funnel (funnel_id, revoked_at_ms),
  CONSTRAINT fk_funnel_shares_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_funnel_shares_app FOREIGN KEY (app_id) REFERENCES tracked_apps (id),
  CONSTRAINT fk_funnel_shares_funnel FOREIGN KEY (funnel_id) REFERENCES funnels (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
