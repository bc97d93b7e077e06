-- Nothing reads events from MariaDB by app and time: funnels and SQL run on DuckDB, and the loader
-- and rebuild read by batch and id. The index only cost every insert (ingest and import) a random
-- B-tree write; measured on a 1M-row import it was about a third of the server's CPU.
ALTER TABLE events DROP INDEX ix_events_app_time;
