-- Up Migration
-- A large survey (摸底排查表) is committed as a background job (issue 12: "a progress report for a
-- large file"): the API stores the uploaded file, starts the Temporal workflow
-- survey-import-<campaignId>-<jobId> and answers 202; the worker's activity reads the file from here,
-- commits it in batches and keeps the job's progress in survey_jobs for GET .../survey-jobs/{jobId}.

-- The uploaded file itself, once per content (the same file twice is stored once).
CREATE TABLE survey_uploads (
  sha256       text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  format       text NOT NULL CHECK (format IN ('xlsx', 'csv')),
  bytes        bytea NOT NULL,
  size         integer NOT NULL CHECK (size > 0),
  uploaded_at  timestamptz NOT NULL DEFAULT now()
);

-- One job per campaign and file: job_id is the file's SHA-256 prefix, so the same file again is the
-- same job (and the same workflow id).
CREATE TABLE survey_jobs (
  campaign_id             text NOT NULL REFERENCES campaigns (campaign_id),
  job_id                  text NOT NULL CHECK (job_id ~ '^[0-9a-f]{16}$'),
  workflow_id             text NOT NULL UNIQUE,
  file_sha256             text NOT NULL REFERENCES survey_uploads (sha256),
  status                  text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  rows_total              integer,                          -- known once the file is read
  rows_done               integer NOT NULL DEFAULT 0,
  rows_failed             integer NOT NULL DEFAULT 0,
  already_present         integer NOT NULL DEFAULT 0,
  cases_opened            integer NOT NULL DEFAULT 0,
  enterprises_registered  integer NOT NULL DEFAULT 0,
  failures                jsonb NOT NULL DEFAULT '[]',      -- [{ row, field, column, rule, message, messageZh }]
  error                   jsonb,                            -- why a failed job failed: { code, message, messageZh }
  started_by              jsonb NOT NULL,
  request_id              text NOT NULL,
  started_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  finished_at             timestamptz,
  PRIMARY KEY (campaign_id, job_id)
);

-- Down Migration
DROP TABLE survey_jobs;
DROP TABLE survey_uploads;
