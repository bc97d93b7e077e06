-- One page of a person's events, newest first (parameters: the app, the person's key, the cursor's
-- time, its time again and its event id, the page size). The cursor is the last event of the
-- previous page: the page holds the events strictly before it in (event time, event id) order,
-- so events at the same instant are neither repeated nor skipped across pages.
SELECT event_id, user_identifier, event_name, event_time_ms, CAST(metadata AS VARCHAR)
FROM events
WHERE app_id = ? AND person_key = ?
  AND (event_time_ms < ? OR (event_time_ms = ? AND event_id < ?))
ORDER BY event_time_ms DESC, event_id DESC
LIMIT ?
