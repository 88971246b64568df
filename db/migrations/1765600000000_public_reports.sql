-- Up Migration
-- Public reports (举报, LN 四(三), GD 三(五)): what was reported, kept by the API when it arrives (the
-- report's workflow carries only routing facts, never the text or who reported); who reported, in a
-- table of its own that only the handling officials' endpoint and the reply mail read; the evidence
-- the reporter sent; the report's history; and the verification as a decision on the officials' inbox.

-- JB-<division>-<YYYYMMDD>-<n>: the n-th report of a division on a day (readable, not a secret).
CREATE TABLE public_report_counters (
  region  text NOT NULL CHECK (region ~ '^[0-9]{6}$'),
  day     date NOT NULL,
  last    integer NOT NULL,
  PRIMARY KEY (region, day)
);

CREATE TABLE public_reports (
  report_id        text PRIMARY KEY,              -- the tracking number, also the workflow id's tail
  region           text NOT NULL CHECK (region ~ '^[0-9]{6}$'),
  channel          text NOT NULL,                 -- online | hotline_12345 | hotline_ditiaogang | provincial_platform | petition | letter | media | other
  external_ref     text,                          -- the other channel's own number (12345 工单号, 信访件编号)
  received_on      date NOT NULL,                 -- legal date (Asia/Shanghai) the report was received
  received_at      timestamptz NOT NULL,
  -- What was reported, as typed (plain text; rendered as text, never as markup).
  address          text NOT NULL,
  enterprise_name  text NOT NULL,
  credit_code      text,
  industry         text,
  dimension        text,                          -- the standard it breaks, if the reporter knows
  equipment        text,
  capacity         numeric,
  unit             text,
  description      text NOT NULL,
  real_name        boolean NOT NULL,
  -- SHA-256 of the reporter's 128-bit secret; the secret itself is never stored.
  secret_hash      text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  recorded_by      jsonb,                         -- the official who recorded a report from another channel
  policy_id        text NOT NULL,
  policy_version   text NOT NULL,
  -- The workflow's mirror (read model).
  status           text NOT NULL DEFAULT 'received',  -- received | verifying | closed
  outcome          text,                          -- unfounded | already_known | confirmed | not_pursued
  assignee_role        text,
  assignee_department  text,
  assignee_jurisdiction text,
  due_date         date,
  overdue          boolean NOT NULL DEFAULT false,
  case_id          text,
  reply            text,                          -- the answer the reporter reads (status lookup, mail)
  replied_on       date,
  state            jsonb NOT NULL DEFAULT '{}',
  snapshot_seq     integer NOT NULL DEFAULT 0,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_reports_region_idx ON public_reports (region text_pattern_ops, received_at DESC);

-- 举报人: only for real-name reports or a contact for the reply, sealed (AES-256-GCM, db/reporter-identity.ts)
-- before it is stored. Opened by the verifying department's endpoint (audited) and by the reply mail;
-- never by a list, a log or the workflow.
CREATE TABLE public_report_reporters (
  report_id  text PRIMARY KEY REFERENCES public_reports (report_id),
  sealed     bytea NOT NULL
);

CREATE TABLE public_report_evidence (
  evidence_id   text PRIMARY KEY,
  report_id     text NOT NULL REFERENCES public_reports (report_id),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  filename      text,
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  content       bytea NOT NULL,
  UNIQUE (report_id, sha256)
);

CREATE TABLE public_report_events (
  id               bigserial PRIMARY KEY,
  report_id        text NOT NULL REFERENCES public_reports (report_id),
  idempotency_key  text NOT NULL UNIQUE,
  kind             text NOT NULL,                 -- received | routed | reminder | overdue | escalation | verification | concluded | concealed | replied
  detail           jsonb NOT NULL DEFAULT '{}',
  actor            jsonb,
  occurred_at      timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_report_events_report_idx ON public_report_events (report_id, occurred_at);

-- The verification is a decision on the officials' inbox like any other: a row names a case or a report.
ALTER TABLE decisions ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE decisions ADD COLUMN report_id text REFERENCES public_reports (report_id);
ALTER TABLE decisions ADD CONSTRAINT decisions_subject CHECK (case_id IS NOT NULL OR report_id IS NOT NULL);
CREATE INDEX decisions_report_idx ON decisions (report_id) WHERE report_id IS NOT NULL;

-- Report mails go through the same outbox, named by their report.
ALTER TABLE notifications ADD COLUMN report_id text REFERENCES public_reports (report_id);

-- Down Migration
ALTER TABLE notifications DROP COLUMN report_id;
DELETE FROM decisions WHERE case_id IS NULL;
ALTER TABLE decisions DROP CONSTRAINT decisions_subject;
ALTER TABLE decisions DROP COLUMN report_id;
ALTER TABLE decisions ALTER COLUMN case_id SET NOT NULL;
DROP TABLE public_report_events;
DROP TABLE public_report_evidence;
DROP TABLE public_report_reporters;
DROP TABLE public_reports;
DROP TABLE public_report_counters;
