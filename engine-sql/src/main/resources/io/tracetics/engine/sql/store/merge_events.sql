-- Gives the merged identifiers' events, past ones and the batch's own, their person: a merge is
-- retroactive. A scan of user_key, paid only by loads that carry merges.
UPDATE events SET person_key = m.person_key
FROM temp.merge_staging m
WHERE events.app_id = m.app_id AND events.user_key = m.alias_key
