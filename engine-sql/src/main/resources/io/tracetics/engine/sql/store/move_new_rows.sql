-- Moves the staged batch (already free of repeated ids) into events, skipping ids already stored.
-- The user_key comes from the dictionary, matched on the identifier's md5 (store/schema.sql).
-- The BETWEEN bounds (the batch's id range) let DuckDB skip row groups by their zone maps.
INSERT INTO events
SELECT s.event_id, s.app_id, x.user_key, s.user_identifier, s.event_name, s.event_time_ms,
       s.received_at_ms, s.metadata
FROM temp.load_staging s
JOIN users x ON x.app_id = s.app_id AND x.identity_hash = md5_number(s.user_identifier)
WHERE NOT EXISTS (
  SELECT 1 FROM events e
  WHERE e.event_id = s.event_id AND e.event_id BETWEEN ? AND ?
)
