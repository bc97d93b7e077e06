-- A page of the cell in the columns of the public answer, for an Arrow stream (times in UTC;
-- parameters: the app, the cursor, the page size).
SELECT us.user_identifier,
  epoch_ms(c.tt[1]) AS entered_at,
  (c.lvl - 1)::INTEGER AS reached_step,
  list_transform(c.tt, lambda x: epoch_ms(x)) AS step_times
FROM actor_cell c LEFT JOIN users us ON us.app_id = ? AND us.user_key = c.u
WHERE c.u > ?
ORDER BY c.u
LIMIT ?
