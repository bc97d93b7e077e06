-- The relation "events" that a tenant's exploration query sees: one app's rows, documented columns.
-- A TEMP view lives only on the connection that created it and shadows main.events for
-- unqualified names. Placeholders: the catalog (quoted identifier) and the app id (a long).
CREATE TEMP VIEW events AS
  SELECT event_id,
         user_identifier,
         event_name,
         epoch_ms(event_time_ms)  AS event_time,
         epoch_ms(received_at_ms) AS received_at,
         CAST(metadata AS JSON)   AS metadata
  FROM %s.main.events
  WHERE app_id = %d
