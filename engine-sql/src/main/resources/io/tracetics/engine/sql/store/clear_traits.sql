DELETE FROM temp.traits_staging
