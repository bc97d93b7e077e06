-- An empty watermark row for an app that has none yet (parameters: the app, twice): an app whose
-- first load brings identifies only still gets its identity_version.
INSERT INTO app_watermarks (app_id, event_count, max_event_id, newest_received_at_ms)
SELECT ?, 0, -9223372036854775808, -9223372036854775808
WHERE NOT EXISTS (SELECT 1 FROM app_watermarks WHERE app_id = ?)
