-- An app's events in the store: how many, the newest receipt time, and how many were received at or
-- after a time (parameters: that time, the app).
SELECT count(*), max(received_at_ms), count(*) FILTER (WHERE received_at_ms >= ?) FROM events WHERE app_id = ?
