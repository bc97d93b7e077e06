SELECT count(*), max(received_at_ms), count(*) FILTER (WHERE received_at_ms >= ?) FROM events WHERE app_id = ?
