SELECT count(*), max(event_id), max(received_at_ms) FROM events WHERE app_id = ?
