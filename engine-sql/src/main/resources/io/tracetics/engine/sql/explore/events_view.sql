-- The relations that a tenant's exploration query sees, each holding one app's rows with documented
-- columns. TEMP views live only on the connection that created them and shadow main's tables for
-- unqualified names. Placeholders: the catalog (quoted identifier, %1$s) and the app id (%2$d).
--
-- events: one row per event; person_id is the person the event's user_identifier belongs to (the
-- user an anonymous id was identified as, else the id itself).
CREATE TEMP VIEW events AS
  SELECT e.event_id,
         e.user_identifier,
         p.user_identifier          AS person_id,
         e.event_name,
         epoch_ms(e.event_time_ms)  AS event_time,
         epoch_ms(e.received_at_ms) AS received_at,
         CAST(e.metadata AS JSON)   AS metadata
  FROM %1$s.main.events e
  JOIN (SELECT user_key, user_identifier FROM %1$s.main.users
        WHERE app_id = %2$d AND person_key = user_key) p
    ON p.user_key = e.person_key
  WHERE e.app_id = %2$d;
-- cohort_members: one row per member of the app's live cohorts: the identifier as given and the
-- person it belongs to now (NULL while the app has not seen the identifier).
CREATE TEMP VIEW cohort_members AS
  SELECT m.cohort_id,
         m.user_identifier,
         p.user_identifier AS person_id
  FROM %1$s.main.cohort_members m
  LEFT JOIN (SELECT user_identifier, person_key FROM %1$s.main.users WHERE app_id = %2$d) u
    ON u.user_identifier = m.user_identifier
  LEFT JOIN (SELECT user_key, user_identifier FROM %1$s.main.users
             WHERE app_id = %2$d AND person_key = user_key) p
    ON p.user_key = u.person_key
  WHERE m.app_id = %2$d;
-- persons: one row per person: its traits (a JSON object, NULL when none were set), the
-- identifiers that belong to it (its own first), and its first and last event times.
CREATE TEMP VIEW persons AS
  SELECT p.user_identifier                 AS person_id,
         CAST(p.traits AS JSON)            AS traits,
         list_prepend(p.user_identifier,
                      coalesce(a.aliases, []::VARCHAR[])) AS identifiers,
         epoch_ms(s.first_ms)              AS first_seen,
         epoch_ms(s.last_ms)               AS last_seen
  FROM %1$s.main.users p
  LEFT JOIN (SELECT person_key, list(user_identifier ORDER BY user_identifier) AS aliases
             FROM %1$s.main.users
             WHERE app_id = %2$d AND person_key <> user_key
             GROUP BY person_key) a
    ON a.person_key = p.user_key
  LEFT JOIN (SELECT person_key, min(event_time_ms) AS first_ms, max(event_time_ms) AS last_ms
             FROM %1$s.main.events WHERE app_id = %2$d GROUP BY person_key) s
    ON s.person_key = p.user_key
  WHERE p.app_id = %2$d AND p.person_key = p.user_key
