-- Up Migration
-- Where a facility stands (设施状态): once its capacity has exited (sealed 封存, or dismantled and
-- accepted 拆除), it never comes back, neither registered again nor moved to another region (不得转移:
-- Henan 2021 二(一), 二(二)6; Fuzhou 2021 三(二)). The status only moves forward, set by the case
-- whose capacity exited (status_case_id). 'in_case' (subject of a running case) is not stored: it is
-- read from the cases themselves, so no case can leave it stale.
ALTER TABLE facilities
  ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'sealed', 'retired')),
  ADD COLUMN status_case_id text REFERENCES cases (case_id),
  ADD COLUMN status_changed_at timestamptz;

-- Facilities whose capacity has already exited (retired_capacity holds each under its case).
UPDATE facilities f
   SET status = x.status, status_case_id = x.case_id,
       status_changed_at = (x.changed_on::timestamp AT TIME ZONE 'Asia/Shanghai')
  FROM (SELECT DISTINCT ON (c.credit_code, fe->>'id') c.credit_code, fe->>'id' AS facility_id, r.case_id,
               CASE WHEN r.how = 'dismantled' THEN 'retired' ELSE 'sealed' END AS status,
               COALESCE(r.dismantled_on, r.sealed_on, r.exited_on) AS changed_on
          FROM retired_capacity r JOIN cases c USING (case_id), jsonb_array_elements(r.facilities) AS fe
         ORDER BY c.credit_code, fe->>'id', (r.how = 'dismantled') DESC, r.exited_on) x
 WHERE f.credit_code = x.credit_code AND f.facility_id = x.facility_id;

-- The cases of an enterprise, to tell which of its facilities a running case holds.
CREATE INDEX cases_credit_code_idx ON cases (credit_code);

-- Down Migration
DROP INDEX cases_credit_code_idx;
ALTER TABLE facilities DROP COLUMN status_changed_at, DROP COLUMN status_case_id, DROP COLUMN status;
