-- A unit's events that a trace reads, for a funnel counting units (parameters: the JSON pointers
-- of the metadata properties the funnel reads, as a list; the JSON pointers of the traits it
-- reads, as a list; the app; the count_by property's JSON pointer; the unit's value; the time
-- bounds [from, to) in epoch ms; whether every event name counts (strict mode); the funnel's
-- event names, as a list; whether the funnel includes cohorts; the app and the include cohort ids,
-- as a list; the app and the exclude cohort ids, as a list; the most rows to return). The events
-- whose property text is the value, whoever sent them, each with the text of each property asked
-- for and of each trait of its person asked for (NULL when not set), in (time, id) order. Events
-- of persons the cohorts leave out are not read: the plans' population resolves members the same
-- way (a member identifier to its person through users, now).
SELECT e.event_id, e.user_identifier, e.event_name, e.event_time_ms,
       json_extract_string(e.metadata, ?::VARCHAR[]),
       json_extract_string(p.traits, ?::VARCHAR[])
FROM events e
LEFT JOIN users p ON p.app_id = e.app_id AND p.user_key = e.person_key
WHERE e.app_id = ? AND json_extract_string(e.metadata, ?::VARCHAR) = ?
  AND e.event_time_ms >= ? AND e.event_time_ms < ?
  AND (? OR list_contains(?::VARCHAR[], e.event_name))
  AND (NOT ? OR e.person_key IN (
    SELECT cu.person_key FROM cohort_members cm
    JOIN users cu ON cu.app_id = cm.app_id AND cu.user_identifier = cm.user_identifier
    WHERE cm.app_id = ? AND list_contains(?::BIGINT[], cm.cohort_id)))
  AND e.person_key NOT IN (
    SELECT cu.person_key FROM cohort_members cm
    JOIN users cu ON cu.app_id = cm.app_id AND cu.user_identifier = cm.user_identifier
    WHERE cm.app_id = ? AND list_contains(?::BIGINT[], cm.cohort_id))
ORDER BY e.event_time_ms, e.event_id
LIMIT ?
