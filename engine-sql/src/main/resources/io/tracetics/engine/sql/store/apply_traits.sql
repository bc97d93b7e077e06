-- Writes the traits the links leave (traits_staging, from PersonTraits) to their identifiers.
UPDATE users SET traits = t.traits
FROM temp.traits_staging t
WHERE users.app_id = t.app_id AND users.user_key = t.user_key
