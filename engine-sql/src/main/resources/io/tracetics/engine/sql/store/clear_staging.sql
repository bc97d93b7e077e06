DELETE FROM temp.load_staging
