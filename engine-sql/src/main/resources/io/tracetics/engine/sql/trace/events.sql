-- A person's events that a trace reads (parameters: the JSON pointers of the metadata properties
-- the funnel reads, as a list; the app; the person's key; the time bounds [from, to) in epoch
-- ms; whether every event name counts (strict mode); the funnel's event names, as a list; the
-- most rows to return). Each event comes with the text of each property asked for, as the plans
-- read it (json_extract_string: NULL when absent or JSON null), in (time, id) order.
SELECT event_id, user_identifier, event_name, event_time_ms,
       json_extract_string(metadata, ?::VARCHAR[])
FROM events
WHERE app_id = ? AND person_key = ?
  AND event_time_ms >= ? AND event_time_ms < ?
  AND (? OR list_contains(?::VARCHAR[], event_name))
ORDER BY event_time_ms, event_id
LIMIT ?
