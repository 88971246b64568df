-- Up Migration
-- The year's target list (年度淘汰目标计划) of a campaign: what its survey (摸底排查) found must exit,
-- per industry and unit, and the rows of the survey itself. Written by a committed survey upload, or
-- set or corrected by the coordination office (audited, with a reason); read by the progress ledger.

CREATE TABLE campaign_targets (
  campaign_id   text NOT NULL REFERENCES campaigns (campaign_id),
  industry      text NOT NULL,
  unit          text NOT NULL,
  capacity      numeric NOT NULL CHECK (capacity >= 0),
  enterprises   integer NOT NULL CHECK (enterprises >= 0),
  facilities    integer NOT NULL CHECK (facilities >= 0),
  source        text NOT NULL CHECK (source IN ('survey', 'office')),
  reason        text,                             -- why the office set or corrected it
  set_by        jsonb,
  set_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, industry, unit)
);

-- One row per surveyed facility: the survey as committed, and the case it opened (idempotent per row:
-- the same file twice opens nothing new).
CREATE TABLE campaign_survey_rows (
  campaign_id    text NOT NULL REFERENCES campaigns (campaign_id),
  credit_code    text NOT NULL,
  facility_id    text NOT NULL,
  region_code    text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  industry       text NOT NULL,
  capacity       numeric NOT NULL,
  unit           text NOT NULL,
  treatment      text NOT NULL CHECK (treatment IN ('rectify', 'exit')),
  case_id        text,
  row_number     integer NOT NULL,
  file_sha256    text NOT NULL,
  committed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, credit_code, facility_id)
);

-- Down Migration
DROP TABLE campaign_survey_rows;
DROP TABLE campaign_targets;
