DELETE FROM temp.merge_staging
