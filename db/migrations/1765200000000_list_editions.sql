-- Up Migration
-- Editions (版本) of the public lists (公示名单): a list published on a date is frozen as it then was,
-- so it can be fetched again exactly as published (issue 12: "editions of every public list are kept").
-- The target list (年度淘汰目标计划) of a campaign is published from its committed survey.
--
-- The rows live in their own table, one row per list row, not in one JSONB array on the edition: a
-- province's list has thousands of rows, and a page or a CSV batch then reads only the rows it needs
-- (by position), instead of loading and slicing the whole array for every request.

CREATE TABLE list_editions (
  edition_id     text PRIMARY KEY,
  kind           text NOT NULL,
  region         text NOT NULL CHECK (region ~ '^[0-9]{6}$'),
  year           integer NOT NULL,
  campaign_id    text REFERENCES campaigns (campaign_id),
  published_at   timestamptz NOT NULL DEFAULT now(),
  published_by   jsonb NOT NULL,
  note           text,
  policies       jsonb NOT NULL,                 -- the pinned policies whose rules the rows follow
  columns        jsonb NOT NULL,                 -- [{ key, zh }] in order
  row_count      integer NOT NULL CHECK (row_count >= 0),
  sha256         text NOT NULL                   -- of the edition's CSV download (BOM, header, rows), byte for byte
);
CREATE INDEX list_editions_latest_idx ON list_editions (kind, region, year, published_at DESC);

CREATE TABLE list_edition_rows (
  edition_id  text NOT NULL REFERENCES list_editions (edition_id),
  n           integer NOT NULL,                  -- 1-based position in the list as published
  cells       jsonb NOT NULL,                    -- { columnKey: text }
  PRIMARY KEY (edition_id, n)
);

-- Down Migration
DROP TABLE list_edition_rows;
DROP TABLE list_editions;
