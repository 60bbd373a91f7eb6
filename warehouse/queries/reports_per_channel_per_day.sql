-- Reports and cases per channel per Beijing-time day over a date range.
-- :date_from, :date_to  the first and last day, e.g. '2026-11-01' and '2026-11-30'
SELECT report_date,
       channel,
       sum(n_records) AS n_reports,
       sum(n_cases) AS n_cases
FROM v_daily_counts
WHERE report_date BETWEEN :date_from AND :date_to
GROUP BY report_date, channel
ORDER BY report_date, channel
