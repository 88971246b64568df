-- Up Migration
-- The case lifecycle's records: pushes to external platforms, officials' pending decisions,
-- who is notified in each region, and the capacity that counts as retired.

-- Pushes to external platforms (joint punishment 联合惩戒, red list, lifting), one row per
-- (workflow, step, platform): claimed before the HTTP call, acknowledged after; a retry of an
-- acknowledged push does nothing.
CREATE TABLE platform_pushes (
  idempotency_key  text PRIMARY KEY,
  case_id          text NOT NULL REFERENCES cases (case_id),
  platform         text NOT NULL,
  kind             text NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('pushing', 'acknowledged')),
  acknowledgement  text,
  attempts         integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  acknowledged_at  timestamptz,
  CHECK ((status = 'acknowledged') = (acknowledgement IS NOT NULL))
);
CREATE INDEX platform_pushes_case_idx ON platform_pushes (case_id, platform);

-- The officials' to-do list (待办): decisions a case workflow waits for (an extension to decide,
-- a closure to approve, a re-inspection to record, an acceptance), with whom and by when.
CREATE TABLE decisions (
  decision_id          text PRIMARY KEY,                -- `${workflowId}/${kind}/${n}`
  case_id              text NOT NULL REFERENCES cases (case_id),
  kind                 text NOT NULL,                   -- extension | reinspection | closure | acceptance | sealed_reinspection | …
  assignee_role        text NOT NULL,
  assignee_department  text,
  jurisdiction         text NOT NULL CHECK (jurisdiction ~ '^[0-9]{6}$'),
  due_date             date NOT NULL,                   -- the legal date (Asia/Shanghai)
  due_at               timestamptz NOT NULL,            -- the instant the workflow's timer fires
  status               text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided', 'withdrawn')),
  outcome              text,
  decided_by           jsonb,
  decided_at           timestamptz,
  requested_at         timestamptz NOT NULL DEFAULT now(),
  detail               jsonb NOT NULL DEFAULT '{}'
);
-- "My open decisions, soonest first."
CREATE INDEX decisions_open_idx ON decisions (status, jurisdiction, due_at);
CREATE INDEX decisions_case_idx ON decisions (case_id);

-- Who is notified, per division and role (and department for enforcement officials).
CREATE TABLE authority_contacts (
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  role         text NOT NULL,
  department   text,
  email        text NOT NULL,
  name         text NOT NULL,
  UNIQUE NULLS NOT DISTINCT (region_code, role, department, email)
);

-- Seed contacts for the seed regions (demo and tests): per division, one enforcement-official
-- address per department, the approving people's government and the coordination office.
-- Example addresses only (example.gov.cn); real deployments replace them.
WITH divisions (region_code, host, title, province) AS (
  VALUES ('410000', 'henan',     '河南省',         true),
         ('410100', 'zhengzhou', '郑州市',         false),
         ('210000', 'liaoning',  '辽宁省',         true),
         ('440000', 'guangdong', '广东省',         true),
         ('350000', 'fujian',    '福建省',         true),
         ('350100', 'fuzhou',    '福州市',         false),
         ('650000', 'xinjiang',  '新疆维吾尔自治区', true),
         ('652300', 'changji',   '昌吉回族自治州',   false)
),
offices (role, department, province_mailbox, city_mailbox, province_office, city_office) AS (
  VALUES ('enforcement_official', 'industry_it',          'gxt',   'gxj',   '工业和信息化厅', '工业和信息化局'),
         ('enforcement_official', 'development_reform',   'fgw',   'fgw',   '发展和改革委员会', '发展和改革委员会'),
         ('enforcement_official', 'ecology_environment',  'stht',  'sthjj', '生态环境厅',     '生态环境局'),
         ('enforcement_official', 'market_regulation',    'scjgj', 'scjgj', '市场监督管理局', '市场监督管理局'),
         ('enforcement_official', 'emergency_management', 'yjglt', 'yjglj', '应急管理厅',     '应急管理局'),
         ('approving_government', NULL,                   'zfb',   'zfb',   '人民政府',       '人民政府'),
         ('coordination_office',  NULL,                   'ttbgs', 'ttbgs', '淘汰落后产能工作协调小组办公室', '淘汰落后产能工作协调小组办公室')
)
INSERT INTO authority_contacts (region_code, role, department, email, name)
SELECT d.region_code, o.role, o.department,
       (CASE WHEN d.province THEN o.province_mailbox ELSE o.city_mailbox END) || '@' || d.host || '.example.gov.cn',
       d.title || (CASE WHEN d.province THEN o.province_office ELSE o.city_office END)
  FROM divisions d CROSS JOIN offices o;

-- Capacity that has exited and passed acceptance (验收): counts as retired for its region,
-- industry and year (the annual exit announcement and the reports upward add these up).
CREATE TABLE retired_capacity (
  case_id      text PRIMARY KEY REFERENCES cases (case_id),
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  industry     text NOT NULL,
  year         integer NOT NULL,
  capacity     numeric NOT NULL CHECK (capacity >= 0),
  unit         text NOT NULL,
  facilities   jsonb NOT NULL,
  exited_on    date NOT NULL
);
CREATE INDEX retired_capacity_tally_idx ON retired_capacity (region_code, industry, year);

-- Down Migration
DROP TABLE retired_capacity;
DROP TABLE authority_contacts;
DROP TABLE decisions;
DROP TABLE platform_pushes;
