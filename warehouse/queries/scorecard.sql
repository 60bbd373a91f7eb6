-- A scorecard as a dashboard dataset (v_scorecard): each unit's rates for one period, with the counts they
-- come from. :period_kind  day, week, month or quarter;  :period  2026-11-20, 2026-W47, 2026-11 or 2026-Q4;
-- :dimension  city, district, street or department. Formulas: docs/alerting.md#scorecards.
SELECT unit,
       district,
       metric,
       metric_name,
       numerator,
       denominator,
       rate
FROM v_scorecard
WHERE period_kind = :period_kind AND period = :period AND dimension = :dimension
ORDER BY unit, district, metric
