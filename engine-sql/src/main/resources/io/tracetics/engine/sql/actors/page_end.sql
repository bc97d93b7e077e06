-- The last person key of the page after the cursor (parameters: the cursor, the page size) and
-- whether anyone comes after it: the next page's cursor.
WITH p AS (SELECT u FROM actor_cell WHERE u > ? ORDER BY u LIMIT ?)
SELECT (SELECT max(u) FROM p) AS last_key,
  EXISTS (SELECT 1 FROM actor_cell WHERE u > (SELECT max(u) FROM p)) AS more
