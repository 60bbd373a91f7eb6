-- Complainants with several open cases (different disputes of one person), by keyed hash: the same
-- person is recognised without showing who it is.
-- :min_cases  the least number of cases that makes a repeat complainant, e.g. 2
SELECT complainant_key,
       min(name_masked) AS name_masked,
       min(phone_masked) AS phone_masked,
       count(*) AS n_cases,
       count(DISTINCT category) AS n_categories,
       min(first_reported_at) AS first_reported_at,
       max(last_reported_at) AS last_reported_at
FROM v_case
WHERE status = 'open' AND complainant_key IS NOT NULL
GROUP BY complainant_key
HAVING count(*) >= :min_cases
ORDER BY n_cases DESC, complainant_key
