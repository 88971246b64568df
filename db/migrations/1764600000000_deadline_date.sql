-- Up Migration
-- The legal date of a case's deadline (Asia/Shanghai), beside its instant (the end of that day, 24:00
-- China Standard Time): lists filter and show the date officials read; timers use the instant.
ALTER TABLE cases ADD COLUMN deadline_date date;
UPDATE cases SET deadline_date = ((deadline - interval '1 millisecond') AT TIME ZONE 'Asia/Shanghai')::date WHERE deadline IS NOT NULL;
CREATE INDEX cases_deadline_date_idx ON cases (deadline_date);

-- Down Migration
DROP INDEX cases_deadline_date_idx;
ALTER TABLE cases DROP COLUMN deadline_date;
