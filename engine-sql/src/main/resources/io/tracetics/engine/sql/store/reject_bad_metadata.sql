-- Takes out of the staged batch the rows whose metadata the events table's JSON column would not
-- take as an object (invalid JSON, or a JSON value other than an object or null) and returns their
-- ids with the reason. Checked here, vectorised in DuckDB, instead of per row in Java: a bad row
-- must not fail the whole batch, and this runs for every event loaded.
DELETE FROM temp.load_staging
WHERE metadata IS NOT NULL
  AND CASE WHEN json_valid(metadata) THEN json_type(metadata) NOT IN ('OBJECT', 'NULL') ELSE true END
RETURNING event_id,
  CASE WHEN json_valid(metadata) THEN 'metadata is not a JSON object' ELSE 'metadata is not valid JSON' END
