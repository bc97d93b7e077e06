-- The person an identifier of an app belongs to, for a trace (parameters: the JSON pointers of
-- the traits the funnel reads, as a list; the app; the identifier twice): the person's key, its
-- identifier and the text of each trait asked for (NULL when not set); no row when the app has no
-- such identifier. Looked up as store/person_of.sql does.
SELECT p.user_key, p.user_identifier, json_extract_string(p.traits, ?::VARCHAR[])
FROM users u
JOIN users p ON p.app_id = u.app_id AND p.user_key = u.person_key
WHERE u.app_id = ? AND u.identity_hash = md5_number(?::VARCHAR) AND u.user_identifier = ?
