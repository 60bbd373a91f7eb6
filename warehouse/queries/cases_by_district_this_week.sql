-- Open cases first reported in one week, by district: how many, how many reports, how many complainants.
-- :week_start  the Monday (Beijing time) of the week, e.g. '2026-11-16'
SELECT district,
       count(*) AS n_cases,
       sum(n_records) AS n_reports,
       sum(n_complainants) AS n_complainants,
       sum(CASE WHEN group_id IS NOT NULL THEN 1 ELSE 0 END) AS n_in_groups
FROM v_case
WHERE status = 'open' AND first_report_week = :week_start
GROUP BY district
ORDER BY n_cases DESC, district
