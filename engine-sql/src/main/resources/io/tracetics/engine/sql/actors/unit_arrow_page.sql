-- For a funnel counting units: a page of the cell in the columns of the public answer, for an
-- Arrow stream (the unit's value as user_identifier; times in UTC; parameters: the cursor twice,
-- NULL before the first page; the page size).
SELECT c.u AS user_identifier,
  epoch_ms(c.tt[1]) AS entered_at,
  (c.lvl - 1)::INTEGER AS reached_step,
  list_transform(c.tt, lambda x: epoch_ms(x)) AS step_times
FROM actor_cell c
WHERE ?::VARCHAR IS NULL OR c.u > ?
ORDER BY c.u
LIMIT ?
