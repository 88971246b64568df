-- Up Migration
-- Capacity that exited, counted in every facility's own unit and in the year it first exited.
-- 30号文 (九): cutting water and power, removing the power units and sealing the main equipment is an
-- exit as much as dismantling, so sealed capacity counts in the year it was sealed (and a Guangdong
-- coal-power unit kept as emergency backup, 关而不拆转应急备用, counts too, marked as such). Until now a
-- row was written only at acceptance, dated the acceptance, with the first facility's unit only.
-- Now one row per case and unit:
--   capacity, facilities  the case's facilities in that unit, and their total (万吨/年 and MW never add up);
--   how                   'dismantled' (拆除), 'sealed' (封存) or 'emergency_backup' (关而不拆转应急备用);
--   exited_on, year       the date the capacity first exited (sealed_on, else dismantled_on) and its year:
--                         capacity sealed one year and dismantled the next counts once, in the first;
--   sealed_on, dismantled_on  when each happened.
ALTER TABLE retired_capacity DROP CONSTRAINT retired_capacity_pkey;
ALTER TABLE retired_capacity
  ADD COLUMN how text NOT NULL DEFAULT 'dismantled' CHECK (how IN ('dismantled', 'sealed', 'emergency_backup')),
  ADD COLUMN sealed_on date,
  ADD COLUMN dismantled_on date;

-- Existing rows (accepted cases): split per unit, dated by the dismantling and, if the case was
-- sealed first, by the sealing, as the case's events recorded them.
WITH old AS (DELETE FROM retired_capacity RETURNING *),
dated AS (
  SELECT o.*,
         COALESCE((SELECT (ev.detail->>'dismantledOn')::date FROM case_events ev
                    WHERE ev.case_id = o.case_id AND ev.kind = 'recordDismantling' AND ev.detail->>'dismantledOn' ~ '^\d{4}-\d{2}-\d{2}$'
                    ORDER BY ev.occurred_at DESC LIMIT 1), o.exited_on) AS dismantled,
         (SELECT (ev.detail->>'sealedOn')::date FROM case_events ev
           WHERE ev.case_id = o.case_id AND ev.kind = 'stage' AND ev.stage = 'sealed' AND ev.detail->>'sealedOn' ~ '^\d{4}-\d{2}-\d{2}$'
           ORDER BY ev.occurred_at LIMIT 1) AS sealed
    FROM old o
)
INSERT INTO retired_capacity (case_id, region_code, industry, year, capacity, unit, facilities, exited_on, how, sealed_on, dismantled_on)
SELECT d.case_id, d.region_code, d.industry, extract(year FROM COALESCE(d.sealed, d.dismantled))::int,
       COALESCE(sum((f->>'capacity')::numeric), d.capacity), COALESCE(f->>'unit', d.unit),
       COALESCE(jsonb_agg(f ORDER BY n) FILTER (WHERE f IS NOT NULL), '[]'::jsonb),
       COALESCE(d.sealed, d.dismantled), 'dismantled', d.sealed, d.dismantled
  FROM dated d LEFT JOIN LATERAL jsonb_array_elements(d.facilities) WITH ORDINALITY AS x(f, n) ON true
 GROUP BY d.case_id, d.region_code, d.industry, d.capacity, d.unit, d.sealed, d.dismantled, COALESCE(f->>'unit', d.unit);

-- Cases sealed and not yet accepted have exited too: counted from their sealing.
WITH sealed AS (
  SELECT DISTINCT ON (ev.case_id) ev.case_id, (ev.detail->>'sealedOn')::date AS sealed_on,
         CASE WHEN ev.detail->>'coalPowerOption' = 'emergency_backup' THEN 'emergency_backup' ELSE 'sealed' END AS how
    FROM case_events ev
   WHERE ev.kind = 'stage' AND ev.stage = 'sealed' AND ev.detail->>'sealedOn' ~ '^\d{4}-\d{2}-\d{2}$'
     AND NOT EXISTS (SELECT 1 FROM retired_capacity r WHERE r.case_id = ev.case_id)
   ORDER BY ev.case_id, ev.occurred_at
)
INSERT INTO retired_capacity (case_id, region_code, industry, year, capacity, unit, facilities, exited_on, how, sealed_on)
SELECT s.case_id, c.region_code, c.industry, extract(year FROM s.sealed_on)::int,
       sum((f->>'capacity')::numeric), f->>'unit', jsonb_agg(f ORDER BY n), s.sealed_on, s.how, s.sealed_on
  FROM sealed s JOIN cases c USING (case_id), jsonb_array_elements(c.facilities) WITH ORDINALITY AS x(f, n)
 GROUP BY s.case_id, c.region_code, c.industry, s.sealed_on, s.how, f->>'unit';

ALTER TABLE retired_capacity ADD PRIMARY KEY (case_id, unit);
DROP INDEX retired_capacity_tally_idx;
CREATE INDEX retired_capacity_tally_idx ON retired_capacity (region_code, industry, year, unit);

-- Down Migration
-- One row per case again, as accepted dismantlings only: the first unit's total, every facility,
-- dated the dismantling (the acceptance date the rows held before is not kept).
DROP INDEX retired_capacity_tally_idx;
ALTER TABLE retired_capacity DROP CONSTRAINT retired_capacity_pkey;
DELETE FROM retired_capacity WHERE how <> 'dismantled';
WITH old AS (DELETE FROM retired_capacity RETURNING *)
INSERT INTO retired_capacity (case_id, region_code, industry, year, capacity, unit, facilities, exited_on)
SELECT DISTINCT ON (o.case_id) o.case_id, o.region_code, o.industry,
       extract(year FROM COALESCE(o.dismantled_on, o.exited_on))::int, o.capacity, o.unit,
       (SELECT jsonb_agg(f) FROM old o2, jsonb_array_elements(o2.facilities) AS f WHERE o2.case_id = o.case_id),
       COALESCE(o.dismantled_on, o.exited_on)
  FROM old o
 ORDER BY o.case_id, o.unit;
ALTER TABLE retired_capacity DROP COLUMN dismantled_on, DROP COLUMN sealed_on, DROP COLUMN how;
ALTER TABLE retired_capacity ADD PRIMARY KEY (case_id);
CREATE INDEX retired_capacity_tally_idx ON retired_capacity (region_code, industry, year);
