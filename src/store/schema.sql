-- citewatch store, version 1. Times are Unix milliseconds (UTC).
CREATE TABLE runs (
    id        INTEGER PRIMARY KEY,
    started   INTEGER NOT NULL,
    finished  INTEGER,
    offline   INTEGER NOT NULL DEFAULT 0,
    status    TEXT NOT NULL DEFAULT 'running',   -- running | finished | interrupted
    report    BLOB                               -- the run's JSON document (zstd), when finished
) STRICT;

CREATE TABLE blobs (
    sha   TEXT PRIMARY KEY,                      -- SHA-256 of the uncompressed bytes
    size  INTEGER NOT NULL,
    data  BLOB NOT NULL                          -- zstd
) STRICT;

CREATE TABLE snapshots (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    created      INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    content_type TEXT,
    title        TEXT,
    selector     TEXT,
    raw_sha      TEXT NOT NULL REFERENCES blobs(sha),
    main_sha     TEXT NOT NULL REFERENCES blobs(sha),
    full_sha     TEXT NOT NULL REFERENCES blobs(sha),
    fingerprint  TEXT NOT NULL,
    UNIQUE (source_id, raw_sha, selector)
) STRICT;

CREATE TABLE sources (
    id                   INTEGER PRIMARY KEY,
    url                  TEXT NOT NULL UNIQUE,   -- as written, less the fragment
    first_seen           INTEGER NOT NULL,
    baseline             INTEGER REFERENCES snapshots(id),
    latest               INTEGER REFERENCES snapshots(id),
    etag                 TEXT,
    last_modified        TEXT,
    last_good            INTEGER,
    last_fetch           INTEGER,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since        INTEGER
) STRICT;

CREATE TABLE fetches (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    source_id     INTEGER NOT NULL REFERENCES sources(id),
    time          INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL,
    attempts      INTEGER NOT NULL,
    http_status   INTEGER,
    final_url     TEXT,
    redirects     TEXT NOT NULL,                 -- JSON [{url, status}]
    health        TEXT NOT NULL,
    reason        TEXT,
    error         TEXT,
    etag          TEXT,
    last_modified TEXT,
    bytes         INTEGER,
    snapshot_id   INTEGER REFERENCES snapshots(id),
    content       TEXT NOT NULL,
    similarity    REAL
) STRICT;
CREATE INDEX fetches_by_source ON fetches(source_id, id);
CREATE INDEX fetches_by_run ON fetches(run_id);

CREATE TABLE verdicts (
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    factsheet TEXT NOT NULL,
    claim     TEXT NOT NULL,
    verdict   TEXT NOT NULL,
    reasons   TEXT NOT NULL,                     -- JSON list of strings
    PRIMARY KEY (run_id, factsheet, claim)
) STRICT;

CREATE TABLE accepts (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    time         INTEGER NOT NULL,
    note         TEXT,
    previous     INTEGER REFERENCES snapshots(id),
    baseline     INTEGER NOT NULL REFERENCES snapshots(id),
    undone       INTEGER NOT NULL DEFAULT 0
) STRICT;
