-- Gives each app of the staged batch that has no watermark row yet an empty one, which
-- store/add_to_watermarks.sql then fills. Runs before any row leaves staging (rejected or already
-- stored), so every app of the batch gets its row; one whose rows were all repeats or rejected
-- keeps count 0, which reads as no events. The loader runs it only when the batch has an app it
-- has not seen, and its anti-join keeps the table at one row per app.
INSERT INTO app_watermarks (app_id, event_count, max_event_id, newest_received_at_ms)
SELECT app_id, 0, -9223372036854775808, -9223372036854775808
FROM (SELECT DISTINCT app_id FROM temp.load_staging)
WHERE app_id NOT IN (SELECT app_id FROM app_watermarks)
