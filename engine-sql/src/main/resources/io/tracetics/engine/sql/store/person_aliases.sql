-- The aliases of a person (parameters: the app, the person's key): the identifiers linked to it,
-- in the order of the persons relation (explore/events_view.sql).
SELECT user_identifier
FROM users
WHERE app_id = ? AND person_key = ? AND user_key <> person_key
ORDER BY user_identifier
