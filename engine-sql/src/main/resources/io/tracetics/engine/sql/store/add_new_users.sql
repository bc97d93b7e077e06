-- Gives every (app, user) of the staged batch and of its staged identity links that is not in the
-- dictionary yet a new user_key, which is also its person_key (a person of its own).
-- Users are told apart by (app_id, md5 of the identifier): see users in store/schema.sql.
INSERT INTO users (app_id, user_identifier, user_key, identity_hash, person_key)
SELECT app_id, user_identifier, user_key, identity_hash, user_key
FROM (
  SELECT s.app_id, s.user_identifier,
         m.k + row_number() OVER (ORDER BY s.app_id, s.identity_hash) AS user_key, s.identity_hash
  FROM (SELECT app_id, identity_hash, any_value(user_identifier) AS user_identifier
        FROM (SELECT app_id, user_identifier, md5_number(user_identifier) AS identity_hash
              FROM (SELECT app_id, user_identifier FROM temp.load_staging
                    UNION ALL SELECT app_id, anonymous_id FROM temp.link_staging
                          WHERE anonymous_id IS NOT NULL
                    UNION ALL SELECT app_id, user_identifier FROM temp.link_staging))
        GROUP BY app_id, identity_hash) s,
       (SELECT coalesce(max(user_key), 0) AS k FROM users) m
  WHERE NOT EXISTS (
    SELECT 1 FROM users x WHERE x.app_id = s.app_id AND x.identity_hash = s.identity_hash
  )
)
