-- Archived copies of sources (idempotent: safe in any migration order).
-- Look-ups of an archive for a source, kept a week.
CREATE TABLE IF NOT EXISTS archive_lookups (
    url        TEXT NOT NULL,                    -- the source as cited, less the fragment
    target     TEXT NOT NULL,                    -- the 14-digit time the look-up aimed at
    time       INTEGER NOT NULL,                 -- when it was looked up
    found      INTEGER NOT NULL,                 -- 1: a capture, 0: none
    archive    TEXT,                             -- which archive answered (host)
    copy_url   TEXT,                             -- the capture's address, as people cite it
    raw_url    TEXT,                             -- where its original bytes are read
    timestamp  TEXT,                             -- the capture's 14-digit time (UTC)
    status     INTEGER,                          -- the status the archive recorded
    PRIMARY KEY (url, target)
) STRICT;

-- Archived copies read (a copy does not change: read once).
CREATE TABLE IF NOT EXISTS archive_copies (
    url          TEXT PRIMARY KEY,               -- the address read
    time         INTEGER NOT NULL,
    http_status  INTEGER NOT NULL,
    content_type TEXT,
    kind         TEXT NOT NULL,
    memento_time TEXT,                           -- Memento-Datetime, when the archive sent one
    raw_sha      TEXT NOT NULL REFERENCES blobs(sha),
    main_sha     TEXT NOT NULL REFERENCES blobs(sha),
    full_sha     TEXT NOT NULL REFERENCES blobs(sha)
) STRICT;

-- Save Page Now requests.
CREATE TABLE IF NOT EXISTS archive_saves (
    id         INTEGER PRIMARY KEY,
    url        TEXT NOT NULL,
    time       INTEGER NOT NULL,
    job_id     TEXT,
    status     TEXT NOT NULL,                    -- success | error | pending
    timestamp  TEXT,
    copy_url   TEXT,
    message    TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS archive_saves_by_url ON archive_saves(url, time);
