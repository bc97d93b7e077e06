-- A step that is more than one event name with its filters keeps the rest here as JSON:
-- {"any_of": [{"event_name", "filters"}, ...], "name": "...", "within_seconds": 300}.
-- NULL for a plain step (event_name and filters say everything). For a step with any_of,
-- event_name holds its first alternative's name and filters an empty list.
ALTER TABLE funnel_steps ADD COLUMN details LONGTEXT NULL;
