-- Moves a stream's load position forward (never back) and returns the stored position; no row
-- comes back for a stream that has none yet (then store/record_position inserts it). A plain UPDATE
-- costs DuckDB about half of the upsert, and this runs on every load.
UPDATE load_positions SET position = greatest(position, ?::BIGINT)
WHERE load_stream = ?
RETURNING position
