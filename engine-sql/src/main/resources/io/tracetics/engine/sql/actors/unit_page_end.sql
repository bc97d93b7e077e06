-- For a funnel counting units: the last unit value of the page after the cursor (parameters: the
-- cursor twice, NULL before the first page; the page size) and whether any unit comes after it:
-- the next page's cursor.
WITH p AS (SELECT u FROM actor_cell WHERE ?::VARCHAR IS NULL OR u > ? ORDER BY u LIMIT ?)
SELECT (SELECT max(u) FROM p) AS last_key,
  EXISTS (SELECT 1 FROM actor_cell WHERE u > (SELECT max(u) FROM p)) AS more
