-- Up Migration
-- Supervision items (督办事项, 30号文 (二十)): one per lag found in a region (a lapsed campaign
-- milestone, exit below the policy's pace, concealed capacity), as the supervision workflow mirrors
-- it for the API; its events; and its notices (通报), the published ones read by the public.

CREATE TABLE supervision_items (
  item_id         text PRIMARY KEY,                -- supervision-<region>-<year>-<kind>-<…>
  supervisor      text NOT NULL CHECK (supervisor ~ '^[0-9]{6}$'),  -- the division whose office supervises
  region          text NOT NULL CHECK (region ~ '^[0-9]{6}$'),      -- the lagging division
  -- The campaign the lag was found in. No foreign key: an item is started by a running campaign
  -- and may be stored before or without the campaign's own row.
  campaign_id     text NOT NULL,
  year            integer NOT NULL,
  policy_id       text NOT NULL,
  policy_version  text NOT NULL,
  reason_kind     text NOT NULL CHECK (reason_kind IN ('milestone_lapsed', 'pace', 'concealed_capacity')),
  reason          jsonb NOT NULL,
  status          text NOT NULL,                   -- open | summoned | follow_up_reported | closed
  overdue         boolean NOT NULL DEFAULT false,
  follow_up_by    date,                            -- the follow-up deadline being watched (Asia/Shanghai legal date)
  state           jsonb NOT NULL,                  -- notices, summons, follow-ups, closure, as the workflow's query shows them
  -- The workflow's event counter of the last snapshot written: an event stored late never
  -- overwrites a newer snapshot.
  snapshot_seq    integer NOT NULL DEFAULT 0,
  opened_by       jsonb,
  opened_at       timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  closed_at       timestamptz
);
CREATE INDEX supervision_items_region_idx ON supervision_items (region text_pattern_ops);
CREATE INDEX supervision_items_supervisor_idx ON supervision_items (supervisor text_pattern_ops);
CREATE INDEX supervision_items_campaign_idx ON supervision_items (campaign_id);

CREATE TABLE supervision_events (
  id               bigserial PRIMARY KEY,
  item_id          text NOT NULL REFERENCES supervision_items (item_id),
  idempotency_key  text NOT NULL UNIQUE,           -- `${itemId}/${step}`: the same event twice is stored once
  kind             text NOT NULL,                  -- opened | notice | summons | reminder | overdue | follow_up | closed
  detail           jsonb NOT NULL DEFAULT '{}',
  actor            jsonb,
  occurred_at      timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervision_events_item_idx ON supervision_events (item_id, occurred_at);

-- 通报: kept whether published or not; `publish` ones appear on the public page (text, region, date).
CREATE TABLE supervision_notices (
  notice_id   text PRIMARY KEY,                    -- `${itemId}/notice/<n>`
  item_id     text NOT NULL REFERENCES supervision_items (item_id),
  issued_on   date NOT NULL,
  text        text NOT NULL,
  publish     boolean NOT NULL,
  issued_by   jsonb NOT NULL,
  issued_at   timestamptz NOT NULL
);
CREATE INDEX supervision_notices_public_idx ON supervision_notices (issued_on DESC, notice_id) WHERE publish;

-- Supervision notices go through the same e-mail outbox, named by their item.
ALTER TABLE notifications ADD COLUMN supervision_item_id text REFERENCES supervision_items (item_id);

-- Down Migration
ALTER TABLE notifications DROP COLUMN supervision_item_id;
DROP TABLE supervision_notices;
DROP TABLE supervision_events;
DROP TABLE supervision_items;
