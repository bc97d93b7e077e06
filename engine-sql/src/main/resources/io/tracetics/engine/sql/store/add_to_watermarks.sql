-- Adds the batch just moved into events (the staged rows) to its apps' watermarks, in the load
-- transaction, so that app_watermarks always agrees with events (see store/schema.sql). Every app
-- of the batch has a row (store/add_watermark_rows.sql).
UPDATE app_watermarks SET
  event_count = app_watermarks.event_count + s.n,
  max_event_id = greatest(app_watermarks.max_event_id, s.max_id),
  newest_received_at_ms = greatest(app_watermarks.newest_received_at_ms, s.newest)
FROM (SELECT app_id, count(*) AS n, max(event_id) AS max_id, max(received_at_ms) AS newest
      FROM temp.load_staging GROUP BY app_id) s
WHERE app_watermarks.app_id = s.app_id
