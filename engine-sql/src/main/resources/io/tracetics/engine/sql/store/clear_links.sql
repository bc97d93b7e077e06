DELETE FROM temp.link_staging
