-- The person an identifier of an app belongs to (parameters: the app, the identifier twice): the
-- person's key, its identifier and its traits; no row when the app has no such identifier. The
-- identifier is looked up by identity_hash, as the loader does (see users in store/schema.sql),
-- then compared itself. An alias's person_key leads to its person in one step (the graph is a star).
SELECT p.user_key, p.user_identifier, p.traits
FROM users u
JOIN users p ON p.app_id = u.app_id AND p.user_key = u.person_key
WHERE u.app_id = ? AND u.identity_hash = md5_number(?::VARCHAR) AND u.user_identifier = ?
