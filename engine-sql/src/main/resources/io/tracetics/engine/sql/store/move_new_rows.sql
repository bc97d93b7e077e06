-- Moves the staged batch (by now only ids not stored yet: store/drop_stored_rows.sql) into events.
-- The user_key comes from the dictionary, matched on the identifier's md5 (store/schema.sql);
-- store/add_new_users.sql has added every user of the batch; person_key is the user's person as of
-- now (the batch's own links are applied after: store/merge_events.sql).
INSERT INTO events
SELECT s.event_id, s.app_id, x.user_key, s.user_identifier, s.event_name, s.event_time_ms,
       s.received_at_ms, s.metadata, x.person_key
FROM temp.load_staging s
JOIN users x ON x.app_id = s.app_id AND x.identity_hash = md5_number(s.user_identifier)
