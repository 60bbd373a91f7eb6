-- The largest groups (hotspots): cases of one category naming the same project, employer or place.
-- :min_cases  the least number of open cases, e.g. 3
SELECT group_id,
       category,
       topic,
       district,
       n_cases,
       n_complainants,
       first_reported_at,
       last_reported_at
FROM v_group
WHERE n_cases >= :min_cases
ORDER BY n_complainants DESC, n_cases DESC, group_id
