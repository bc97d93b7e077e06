-- One more identity version for an app whose persons a load changed (parameter: the app).
UPDATE app_watermarks SET identity_version = identity_version + 1 WHERE app_id = ?
