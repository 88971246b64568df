-- Up Migration
-- Evidence (证据材料): photos and documents from before, during and after dismantling or sealing,
-- kept for later inspection (30号文: 留存拆除前、中、后的影像资料). Content-addressed by SHA-256.
CREATE TABLE evidence (
  evidence_id   text PRIMARY KEY,                  -- 'ev-' + first 24 hex of the sha256 + case scope
  case_id       text NOT NULL REFERENCES cases (case_id),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  filename      text,
  phase         text NOT NULL CHECK (phase IN ('before', 'during', 'after', 'document')),
  description   text,
  uploaded_by   jsonb NOT NULL,
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  content       bytea NOT NULL,
  UNIQUE (case_id, sha256)
);
CREATE INDEX evidence_case_idx ON evidence (case_id, uploaded_at);

-- Down Migration
DROP TABLE evidence;
