-- Analytic copy of the events (MariaDB is the system of record; this file can be rebuilt from it).
-- Times are epoch milliseconds (UTC). No index: uniqueness of event_id is kept by the loader
-- (anti-join over the batch's id range, which zone maps make cheap because ids grow with load order).
-- user_key is a small integer standing for (app_id, user_identifier), from the users dictionary:
-- funnels group, sort and join on it instead of the string.
CREATE TABLE IF NOT EXISTS events (
  event_id        BIGINT  NOT NULL,
  app_id          BIGINT  NOT NULL,
  user_key        BIGINT  NOT NULL,
  user_identifier VARCHAR NOT NULL,
  event_name      VARCHAR NOT NULL,
  event_time_ms   BIGINT  NOT NULL,
  received_at_ms  BIGINT  NOT NULL,
  metadata        JSON,
  person_key      BIGINT
);
-- The loader stages each batch in a TEMP table of its own connection (store/staging.sql); this
-- file-backed one was used before and is dropped from older files.
DROP TABLE IF EXISTS load_staging;
-- One row per (app, user); user_key values are unique across apps. Kept unique by the loader.
-- identity_hash is md5_number(user_identifier): every load looks up its batch's users by
-- (app_id, identity_hash), so it reads 24 bytes per known user instead of the identifier strings
-- (a scan: DuckDB has no index join, and an ART upsert measured slower than the scan).
CREATE TABLE IF NOT EXISTS users (
  app_id          BIGINT   NOT NULL,
  user_identifier VARCHAR  NOT NULL,
  user_key        BIGINT   NOT NULL,
  identity_hash   UHUGEINT
);
-- Files written before identity_hash existed get it here, once.
ALTER TABLE users ADD COLUMN IF NOT EXISTS identity_hash UHUGEINT;
UPDATE users SET identity_hash = md5_number(user_identifier) WHERE identity_hash IS NULL;
-- Identity: person_key is the user_key of the person an identifier belongs to, its own key until an
-- identity link makes it an alias of another (store/link_state.sql). Links keep the graph a star: a
-- person's key is never itself an alias. events.person_key is the same key kept with each event
-- (written at insert, rewritten when a link merges its identifier), so that funnels group by the
-- resolved person without a join. Files written before it existed get it here, once.
ALTER TABLE users ADD COLUMN IF NOT EXISTS person_key BIGINT;
UPDATE users SET person_key = user_key WHERE person_key IS NULL;
ALTER TABLE events ADD COLUMN IF NOT EXISTS person_key BIGINT;
UPDATE events SET person_key = user_key WHERE person_key IS NULL;
CREATE TABLE IF NOT EXISTS load_positions (
  load_stream VARCHAR PRIMARY KEY,
  position    BIGINT NOT NULL
);
-- Each app's watermark (store/watermark.sql): how many events it has, its largest event id and its
-- newest receipt time. The loader keeps it in the load transaction (store/add_watermark_rows.sql,
-- store/add_to_watermarks.sql), so that a funnel reads one row instead of scanning the app's events.
-- One row per app, kept unique by the loader: no PRIMARY KEY, whose index made every UPDATE cost
-- about 2.5 ms more. Apps of files written before this table existed get their row here, once.
CREATE TABLE IF NOT EXISTS app_watermarks (
  app_id                BIGINT NOT NULL,
  event_count           BIGINT NOT NULL,
  max_event_id          BIGINT NOT NULL,
  newest_received_at_ms BIGINT NOT NULL
);
INSERT INTO app_watermarks (app_id, event_count, max_event_id, newest_received_at_ms)
SELECT app_id, count(*), max(event_id), max(received_at_ms) FROM events
WHERE app_id NOT IN (SELECT app_id FROM app_watermarks)
GROUP BY app_id;
-- identity_version counts the loads whose identifies changed the app's persons (a merge or traits):
-- a result computed from an older version describes persons that are no longer so.
ALTER TABLE app_watermarks ADD COLUMN IF NOT EXISTS identity_version BIGINT DEFAULT 0;
-- A person's traits (a JSON object) are kept on its own row (user_key = person_key); an alias's
-- join its person's when it is merged (PersonTraits).
ALTER TABLE users ADD COLUMN IF NOT EXISTS traits VARCHAR;
CREATE OR REPLACE VIEW events_view AS
  SELECT event_id, app_id, user_identifier, event_name,
         epoch_ms(event_time_ms) AS event_time, epoch_ms(received_at_ms) AS received_at, metadata
  FROM events;
-- Cohorts' members as created (identifiers, resolved to persons through users when a funnel reads
-- them, so later merges apply). The loader writes a cohort's rows with its creation and removes
-- them with its deletion (CohortChange), in the load transaction of their epoch.
CREATE TABLE IF NOT EXISTS cohort_members (
  app_id          BIGINT  NOT NULL,
  cohort_id       BIGINT  NOT NULL,
  user_identifier VARCHAR NOT NULL
);
