-- Takes out of the staged batch (already free of repeated ids) the ids already stored, so that what
-- stays is exactly what store/move_new_rows.sql adds (and store/add_to_watermarks.sql counts): a
-- repeated or overlapping batch changes nothing. The BETWEEN bounds (the batch's id range) let
-- DuckDB skip row groups of events by their zone maps.
DELETE FROM temp.load_staging s
WHERE EXISTS (
  SELECT 1 FROM events e
  WHERE e.event_id = s.event_id AND e.event_id BETWEEN ? AND ?
)
