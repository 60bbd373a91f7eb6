-- Open cases past a calendar time limit at :as_of: not contacted within 30 minutes or not dispatched
-- within 24 hours of receipt, or done late. (The working-day limits for resolution and follow-up are
-- the alerting layer's.) :as_of  the moment to judge at (a timestamp)
SELECT case_id,
       category,
       district,
       current_status,
       received_at,
       contacted_at,
       dispatched_at,
       CASE WHEN (contacted_at IS NULL AND contact_due_at < :as_of) OR contacted_at > contact_due_at
            THEN 1 ELSE 0 END AS contact_overdue,
       CASE WHEN (dispatched_at IS NULL AND dispatch_due_at < :as_of) OR dispatched_at > dispatch_due_at
            THEN 1 ELSE 0 END AS dispatch_overdue
FROM v_time_limit
WHERE received_at IS NOT NULL AND received_at <= :as_of
  AND ((contacted_at IS NULL AND contact_due_at < :as_of) OR contacted_at > contact_due_at
       OR (dispatched_at IS NULL AND dispatch_due_at < :as_of) OR dispatched_at > dispatch_due_at)
ORDER BY received_at, case_id
