-- A person's events, all its identifiers' (parameters: the app, the person's key): how many, and
-- the first and last event times (NULL when it has none, as for a person known only from an
-- identify).
SELECT count(*), min(event_time_ms), max(event_time_ms)
FROM events
WHERE app_id = ? AND person_key = ?
