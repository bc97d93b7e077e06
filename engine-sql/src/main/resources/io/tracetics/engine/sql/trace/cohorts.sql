-- The cohorts of a funnel's restriction a person belongs to, for a trace (parameters: the app,
-- the person's key, the cohort ids as a list): a member identifier resolves to its person through
-- users now, as the plans' population does, so a merge after the cohort's creation applies. A
-- deleted (or not yet loaded) cohort has no rows, hence no members.
SELECT DISTINCT cm.cohort_id
FROM cohort_members cm
JOIN users cu ON cu.app_id = cm.app_id AND cu.user_identifier = cm.user_identifier
WHERE cm.app_id = ? AND cu.person_key = ? AND list_contains(?::BIGINT[], cm.cohort_id)
