-- Up Migration
-- Idempotency-Key of API commands: the same key and body replay the first response, across restarts.
CREATE TABLE idempotency_keys (
  principal         text NOT NULL,          -- the caller's subject: keys are scoped per caller
  key               text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  method            text NOT NULL,
  path              text NOT NULL,
  request_hash      text NOT NULL,          -- sha256 of method, path and canonical body
  state             text NOT NULL CHECK (state IN ('in_progress', 'completed')),
  response_status   integer,
  response_body     jsonb,
  response_headers  jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz,
  PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Text search on enterprise names in case lists.
CREATE INDEX enterprises_name_idx ON enterprises (name);

-- Down Migration
DROP INDEX enterprises_name_idx;
DROP TABLE idempotency_keys;
