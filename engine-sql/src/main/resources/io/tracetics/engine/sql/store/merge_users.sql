-- Makes each merged identifier an alias of its person (merge_staging, from IdentityMerges).
UPDATE users SET person_key = m.person_key
FROM temp.merge_staging m
WHERE users.app_id = m.app_id AND users.user_key = m.alias_key
