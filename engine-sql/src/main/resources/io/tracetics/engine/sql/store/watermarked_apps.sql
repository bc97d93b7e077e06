-- The apps that have a watermark row (store/schema.sql), read once when the store opens: the loader
-- adds a row only for an app not among them (store/add_watermark_rows.sql).
SELECT app_id FROM app_watermarks
