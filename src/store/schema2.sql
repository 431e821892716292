-- Version 2: the last known state of every claim, source and factsheet (for
-- `status` and `report` without reading every run), and accept batches.
CREATE TABLE claim_state (
    factsheet TEXT NOT NULL,
    claim     TEXT NOT NULL,
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    ord       INTEGER NOT NULL,
    verdict   TEXT NOT NULL,
    doc       TEXT NOT NULL,                     -- the claim's JSON entry
    PRIMARY KEY (factsheet, claim)
) STRICT;

CREATE TABLE source_state (
    url     TEXT PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES runs(id),
    ord     INTEGER NOT NULL,
    doc     TEXT NOT NULL                        -- the source's JSON entry
) STRICT;

CREATE TABLE factsheet_state (
    id      TEXT PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES runs(id),
    doc     TEXT NOT NULL
) STRICT;

ALTER TABLE accepts ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
