INSERT INTO events
SELECT s.event_id, s.app_id, s.user_identifier, s.event_name, s.event_time_ms, s.received_at_ms, s.metadata
FROM (
  SELECT * FROM load_staging
  QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY received_at_ms, event_time_ms, event_name, user_identifier, metadata) = 1
) s
WHERE NOT EXISTS (
  SELECT 1 FROM events e
  WHERE e.event_id = s.event_id AND e.event_id BETWEEN ? AND ?
)
