-- One page of the cell's people in person key order (parameters: the app, the cursor, the page
-- size), each with the identifier of its person, its level and chosen step times.
SELECT c.u, us.user_identifier, c.lvl, c.tt
FROM actor_cell c LEFT JOIN users us ON us.app_id = ? AND us.user_key = c.u
WHERE c.u > ?
ORDER BY c.u
LIMIT ?
