-- Identity: identify calls and the identity graph they build.
--
-- An identify links an anonymous id to a user identifier (the anonymous id's events, past and
-- future, become the user's), sets traits of a person, or both. Like events, identifies are written
-- under an ingest_batches row in the transaction that accepts them, so the sequencer gives them a
-- commit epoch and the loader hands them to DuckDB exactly once, in the order (epoch, id), together
-- with the events of the same epochs. A rebuild replays them in the same order and gets the same
-- persons.
CREATE TABLE identifies (
  id                BIGINT       NOT NULL AUTO_INCREMENT,
  app_id            BIGINT       NOT NULL,
  batch_id          BIGINT       NOT NULL,
  -- NULL when the identify only sets traits.
  anonymous_id      VARCHAR(255) NULL,
  user_identifier   VARCHAR(255) NOT NULL,
  -- A JSON object applied as a patch to the person's traits (a null value removes the key); NULL
  -- when the identify sets none.
  traits            LONGTEXT     NULL,
  identified_at_ms  BIGINT       NOT NULL,
  received_at_ms    BIGINT       NOT NULL,
  -- The client's idempotency id (Segment's messageId): a retried identify is stored once.
  client_message_id VARCHAR(128) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_identifies_client_id (app_id, client_message_id),
  KEY ix_identifies_batch (batch_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The identity graph as accepted: one row per identifier that is an alias, naming its person (an
-- identifier that is no alias is its own person and has no row). The graph is a star: a person is
-- never an alias. The service decides links against this table while holding the tenant's usage
-- counter lock, so its decisions happen in the same order as the identifies' (epoch, id) order, in
-- which the analytic store applies the same rule.
CREATE TABLE identity_aliases (
  app_id        BIGINT       NOT NULL,
  alias         VARCHAR(255) NOT NULL,
  person        VARCHAR(255) NOT NULL,
  identify_id   BIGINT       NOT NULL,
  created_at_ms BIGINT       NOT NULL,
  PRIMARY KEY (app_id, alias),
  KEY ix_identity_aliases_person (app_id, person)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
