-- Up Migration
-- exitflow's own records: the read model, audit trail and outbox behind the case workflows.

CREATE TABLE enterprises (
  credit_code          text PRIMARY KEY CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'), -- 统一社会信用代码
  name                 text NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
  region_code          text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),               -- 行政区划代码
  industry             text NOT NULL,
  address              text,
  legal_representative text,
  contact_name         text NOT NULL,
  contact_email        text NOT NULL,
  contact_phone        text,
  registered_by        jsonb NOT NULL,
  registered_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enterprises_region_industry_idx ON enterprises (region_code, industry);

-- Equipment or production lines (设备/生产线) with their capacity.
CREATE TABLE facilities (
  credit_code  text NOT NULL REFERENCES enterprises (credit_code),
  facility_id  text NOT NULL,
  name         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('equipment', 'production_line')),
  capacity     numeric NOT NULL CHECK (capacity > 0),
  unit         text NOT NULL,
  PRIMARY KEY (credit_code, facility_id)
);

-- One row per case (= one Temporal workflow); written by the workflow's activities.
CREATE TABLE cases (
  case_id           text PRIMARY KEY,          -- the workflow id
  case_number       text NOT NULL,             -- the notice number given by the department
  credit_code       text NOT NULL REFERENCES enterprises (credit_code),
  region_code       text NOT NULL,
  industry          text NOT NULL,
  dimension         text NOT NULL,
  department        text NOT NULL,
  legal_basis       text NOT NULL,
  notice_served_on  date NOT NULL,
  serious           boolean NOT NULL DEFAULT false,
  facilities        jsonb NOT NULL,
  policy_id         text NOT NULL,
  policy_version    text NOT NULL,
  stage             text NOT NULL,
  deadline          timestamptz,
  overdue           boolean NOT NULL DEFAULT false,
  opened_by         jsonb NOT NULL,
  opened_at         timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (credit_code, case_number)
);
CREATE INDEX cases_region_idx ON cases (region_code, industry, dimension, stage);
CREATE INDEX cases_deadline_idx ON cases (deadline);

-- Every stage change and action on a case, keyed so a retried activity records it once.
CREATE TABLE case_events (
  id               bigserial PRIMARY KEY,
  case_id          text NOT NULL REFERENCES cases (case_id),
  idempotency_key  text NOT NULL UNIQUE,
  kind             text NOT NULL,
  stage            text,
  detail           jsonb NOT NULL DEFAULT '{}',
  actor            jsonb,
  occurred_at      timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case_idx ON case_events (case_id, occurred_at);

-- Outbox of e-mails: one row per (workflow, step); a retry never sends twice once marked sent.
CREATE TABLE notifications (
  idempotency_key  text PRIMARY KEY,
  case_id          text REFERENCES cases (case_id),
  kind             text NOT NULL,
  recipients       text[] NOT NULL,
  subject          text NOT NULL,
  message_id       text NOT NULL,
  status           text NOT NULL CHECK (status IN ('sending', 'sent')),
  attempts         integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);

-- Append-only audit trail of every official's and enterprise's command.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  request_id  text NOT NULL,
  actor       jsonb NOT NULL,
  action      text NOT NULL,
  target      text,
  reason      text,
  result      integer NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_target_idx ON audit_log (target, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE notifications;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE facilities;
DROP TABLE enterprises;
