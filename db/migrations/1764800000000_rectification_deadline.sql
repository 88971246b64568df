-- Up Migration
-- 整改期限: the rectification deadline the yellow list (黄牌, 不达标应限期整改) publishes, kept apart from
-- deadline_date, which is whatever the case runs against now (during an extension request or a
-- re-inspection, the official's decision due date). NULL while no rectification period runs.
ALTER TABLE cases ADD COLUMN rectification_deadline date;
-- Cases recorded before: in a rectification stage the current deadline is the rectification deadline;
-- while an extension, a re-inspection or a closure decision is pending, the last deadline recorded in
-- a rectification stage is.
UPDATE cases SET rectification_deadline = deadline_date WHERE stage IN ('rectification', 'suspended_production');
UPDATE cases c SET rectification_deadline = (
  SELECT (ev.detail->>'deadline')::date FROM case_events ev
   WHERE ev.case_id = c.case_id AND ev.stage IN ('rectification', 'suspended_production') AND ev.detail->>'deadline' IS NOT NULL
   ORDER BY ev.occurred_at DESC, ev.id DESC LIMIT 1)
 WHERE c.stage IN ('extension_requested', 'reinspection', 'closure_proposed');

-- Down Migration
ALTER TABLE cases DROP COLUMN rectification_deadline;
