SELECT event_count, max_event_id, newest_received_at_ms, identity_version FROM app_watermarks WHERE app_id = ?
