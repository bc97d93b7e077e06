-- Whether any event of the app carries a unit's value (parameters: the app, the count_by
-- property's JSON pointer, the value): a unit a trace finds no event of in the funnel's bounds
-- exists when this holds.
SELECT EXISTS (
  SELECT 1 FROM events WHERE app_id = ? AND json_extract_string(metadata, ?::VARCHAR) = ?
)
