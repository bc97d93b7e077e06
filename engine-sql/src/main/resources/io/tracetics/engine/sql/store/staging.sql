-- The loader's staging table: TEMP, so it lives only on the writer connection, in memory (spilling
-- to the temp directory if ever needed), and its rows never go through the WAL. Every load empties
-- it before committing, and a failed load rolls its rows back with the rest.
CREATE TEMP TABLE load_staging (
  event_id        BIGINT,
  app_id          BIGINT,
  user_identifier VARCHAR,
  event_name      VARCHAR,
  event_time_ms   BIGINT,
  received_at_ms  BIGINT,
  metadata        VARCHAR
);
-- The identity links of a load, staged the same way (the store applies them in the load's order,
-- from its list: IdentityMerges).
CREATE TEMP TABLE link_staging (
  app_id          BIGINT,
  anonymous_id    VARCHAR,
  user_identifier VARCHAR
);
-- The merges the links make (IdentityMerges): each alias's new person.
CREATE TEMP TABLE merge_staging (
  app_id     BIGINT,
  alias_key  BIGINT,
  person_key BIGINT
);
-- The traits the links leave, per identifier whose traits changed (PersonTraits); null clears.
CREATE TEMP TABLE traits_staging (
  app_id   BIGINT,
  user_key BIGINT,
  traits   VARCHAR
)