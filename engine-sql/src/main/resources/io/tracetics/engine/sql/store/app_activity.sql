-- An app's events in the store: how many and the newest receipt time (from its watermark row, see
-- store/schema.sql), and how many were received at or after a time (parameters: the app, that time,
-- the app). The receipt filter comes first: receipt times grow with load order, so zone maps let
-- DuckDB skip every row group older than the time instead of scanning the app's whole history.
SELECT coalesce((SELECT event_count FROM app_watermarks WHERE app_id = ?), 0),
       (SELECT newest_received_at_ms FROM app_watermarks WHERE app_id = ? AND event_count > 0),
       (SELECT count(*) FROM events WHERE received_at_ms >= ? AND app_id = ?)
