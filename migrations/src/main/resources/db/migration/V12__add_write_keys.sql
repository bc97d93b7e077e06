-- Write keys: a write-only credential of one app, the one secret Segment-compatible clients send
-- (HTTP Basic username, or writeKey in the body). An app may have several at once, each revoked on
-- its own; like every credential only the SHA-256 of the key and its visible prefix are stored.
ALTER TABLE credentials
  DROP CONSTRAINT ck_credentials_kind,
  ADD CONSTRAINT ck_credentials_kind
    CHECK (kind IN ('tenant_key', 'management_token', 'app_key', 'write_key'));
