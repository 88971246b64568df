-- Up Migration
-- The region an audited command concerns, so the coordination office can read a region's audit trail.
ALTER TABLE audit_log ADD COLUMN region_code text;
CREATE INDEX audit_log_region_idx ON audit_log (region_code, at);

-- Down Migration
DROP INDEX audit_log_region_idx;
ALTER TABLE audit_log DROP COLUMN region_code;
