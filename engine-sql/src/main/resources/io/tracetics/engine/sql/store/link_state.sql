-- Every identifier of the staged links as the dictionary holds it (store/add_new_users.sql has
-- added the new ones), and the person of each: its key, its person, whether other identifiers are
-- its aliases, and its traits.
WITH named AS (
  SELECT u.app_id, u.user_key, u.person_key
  FROM users u
  JOIN (SELECT DISTINCT app_id, md5_number(id) AS identity_hash
        FROM (SELECT app_id, anonymous_id AS id FROM temp.link_staging
              WHERE anonymous_id IS NOT NULL
              UNION ALL SELECT app_id, user_identifier FROM temp.link_staging)) s
    ON s.app_id = u.app_id AND s.identity_hash = u.identity_hash
),
wanted AS (
  SELECT app_id, user_key FROM named UNION SELECT app_id, person_key FROM named
)
SELECT u.app_id, u.user_identifier, u.user_key, u.person_key,
       EXISTS (SELECT 1 FROM users x
               WHERE x.app_id = u.app_id AND x.person_key = u.user_key AND x.user_key <> u.user_key)
         AS has_aliases,
       u.traits
FROM users u
JOIN wanted w ON w.app_id = u.app_id AND w.user_key = u.user_key
