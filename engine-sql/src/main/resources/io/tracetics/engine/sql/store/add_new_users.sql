-- Gives every (app, user) of the staged batch that is not in the dictionary yet a new user_key.
INSERT INTO users (app_id, user_identifier, user_key)
SELECT s.app_id, s.user_identifier, m.k + row_number() OVER (ORDER BY s.app_id, s.user_identifier)
FROM (SELECT DISTINCT app_id, user_identifier FROM temp.load_staging) s,
     (SELECT coalesce(max(user_key), 0) AS k FROM users) m
WHERE NOT EXISTS (
  SELECT 1 FROM users x WHERE x.app_id = s.app_id AND x.user_identifier = s.user_identifier
)
