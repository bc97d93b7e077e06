-- Idempotency-Key on the management POSTs: the first answer to a key, replayed to retries.
--
-- A key belongs to one caller (caller: the SHA-256 of the request's Authorization header) and one
-- endpoint (method and path). fingerprint is the SHA-256 of the request body (canonical JSON), so
-- the same key with another body is refused. status_code is NULL while the first request runs.
-- response_body is encrypted (AES-GCM) with a key derived from the caller's credential, which the
-- table does not hold: answers that carry one-time secrets can be read back only by that caller.
-- Rows expire 24 hours after the first request (expires_at_ms) and are deleted after that.
CREATE TABLE idempotency_keys (
  id             BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id      BIGINT        NULL,
  caller         CHAR(64)      CHARACTER SET ascii NOT NULL,
  endpoint       VARCHAR(512)  CHARACTER SET ascii NOT NULL,
  idem_key       VARCHAR(255)  CHARACTER SET ascii NOT NULL,
  fingerprint    CHAR(64)      CHARACTER SET ascii NOT NULL,
  status_code    INT           NULL,
  response_body  MEDIUMTEXT    NULL,
  location       VARCHAR(2048) NULL,
  created_at_ms  BIGINT        NOT NULL,
  expires_at_ms  BIGINT        NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_idempotency_keys (caller, endpoint, idem_key),
  KEY ix_idempotency_keys_tenant (tenant_id),
  KEY ix_idempotency_keys_expiry (expires_at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
