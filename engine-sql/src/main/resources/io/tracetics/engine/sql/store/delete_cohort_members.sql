-- A cohort's members (parameter: the cohort): removed by its deletion, and before its creation is
-- written, so that applying a creation twice leaves its members once.
DELETE FROM cohort_members WHERE cohort_id = ?
