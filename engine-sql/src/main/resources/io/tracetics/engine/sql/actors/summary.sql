-- The cell's size, and whether the native aggregate gave up (its marker row has no person).
SELECT count(u) AS total, coalesce(bool_or(u IS NULL), false) AS gave_up FROM actor_cell
