-- Up Migration
-- A campaign's reports upward (报送, domain/campaign-reports.ts): every draft with the figures it
-- showed, kept for good (a report is reproducible: what it said as of its cut-off, never recomputed),
-- and each report as its workflow keeps it, mirrored for the API.

CREATE TABLE campaign_report_drafts (
  campaign_id      text NOT NULL REFERENCES campaigns (campaign_id),
  report_id        text NOT NULL,
  draft            integer NOT NULL CHECK (draft >= 1),
  cut_off          date NOT NULL,                  -- the figures are as they stood at the end of this day
  drafted_on       date NOT NULL,
  idempotency_key  text NOT NULL UNIQUE,           -- `${campaignId}/report/${reportId}/draft/${draft}`
  summary          jsonb NOT NULL,                 -- DraftSummary, what the workflow keeps
  figures          jsonb NOT NULL,                 -- the ledger and the tables behind it (ReportFigures)
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, report_id, draft)
);

CREATE TABLE campaign_reports (
  campaign_id         text NOT NULL REFERENCES campaigns (campaign_id),
  report_id           text NOT NULL,
  division            text NOT NULL CHECK (division ~ '^[0-9]{6}$'),   -- the sender
  year                integer NOT NULL,
  recipient           text NOT NULL CHECK (recipient IN ('office_above', 'own_office', 'ministries')),
  recipient_division  text CHECK (recipient_division ~ '^[0-9]{6}$'),  -- null: the ministries, outside exitflow
  status              text NOT NULL CHECK (status IN ('pending', 'drafted', 'awaiting_approval', 'sent', 'received')),
  name_zh             text NOT NULL,
  due                 date NOT NULL,
  draft               integer,                     -- the current draft
  cut_off             date,
  submitted_on        date,
  approved_on         date,
  sent_on             date,
  received_on         date,
  message_id          text,
  state               jsonb NOT NULL,              -- ReportState, as the workflow keeps it
  -- The campaign's event counter at this change: a record stored late never overwrites a newer one.
  seq                 integer NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, report_id)
);
-- "What has been sent to my office": the recipient office's inbox.
CREATE INDEX campaign_reports_recipient_idx ON campaign_reports (recipient_division, year, report_id);

-- The ministries' addresses (工业和信息化部、国家能源局) under the directory's division 000000, where a
-- province's report goes (30号文 (十九)). Example addresses only (example.gov.cn); real deployments replace them.
INSERT INTO authority_contacts (region_code, role, department, email, name)
VALUES ('000000', 'coordination_office', NULL, 'cyzcs@miit.example.gov.cn', '工业和信息化部产业政策与法规司'),
       ('000000', 'coordination_office', NULL, 'dlsgs@nea.example.gov.cn', '国家能源局电力司')
ON CONFLICT DO NOTHING;

-- Down Migration
DELETE FROM authority_contacts WHERE region_code = '000000';
DROP TABLE campaign_reports;
DROP TABLE campaign_report_drafts;
