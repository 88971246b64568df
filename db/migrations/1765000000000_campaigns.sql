-- Up Migration
-- The annual campaign (年度工作方案) of a division, as the campaign workflow mirrors it for the API:
-- one row per division and year, and its events (milestone reminders, lapses, completions).

CREATE TABLE campaigns (
  campaign_id     text PRIMARY KEY,                -- campaign-<division>-<year>
  division        text NOT NULL CHECK (division ~ '^[0-9]{6}$'),
  year            integer NOT NULL,
  policy_id       text NOT NULL,
  policy_version  text NOT NULL,
  stage           text NOT NULL,
  next_milestone  text,
  next_due        date,                            -- legal date (Asia/Shanghai) of the next open milestone
  overdue         boolean NOT NULL DEFAULT false,
  milestones      jsonb NOT NULL,                  -- every milestone with its status, as the workflow's query shows it
  -- The workflow's event counter of the last snapshot written: an event stored late never
  -- overwrites a newer snapshot.
  snapshot_seq    integer NOT NULL DEFAULT 0,
  started_by      jsonb,
  started_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (division, year)
);
CREATE INDEX campaigns_division_idx ON campaigns (division text_pattern_ops, year);

CREATE TABLE campaign_events (
  id               bigserial PRIMARY KEY,
  campaign_id      text NOT NULL REFERENCES campaigns (campaign_id),
  idempotency_key  text NOT NULL UNIQUE,           -- `${campaignId}/${step}`: the same event twice is stored once
  kind             text NOT NULL,                  -- started | reminder | overdue | completed
  milestone_id     text,
  detail           jsonb NOT NULL DEFAULT '{}',
  actor            jsonb,
  occurred_at      timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_events_campaign_idx ON campaign_events (campaign_id, occurred_at);

-- Campaign notices go through the same e-mail outbox as a case's, named by their campaign.
ALTER TABLE notifications ADD COLUMN campaign_id text REFERENCES campaigns (campaign_id);

-- Down Migration
ALTER TABLE notifications DROP COLUMN campaign_id;
DROP TABLE campaign_events;
DROP TABLE campaigns;
