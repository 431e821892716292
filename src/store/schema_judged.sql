-- The quotes and figures judged in a snapshot against a baseline,
-- kept so that a source answering 304 (or re-judged offline) is not read and
-- searched again. `key` hashes what the judgement read besides the two
-- snapshots (the cites' quotes, claim texts, selector) and the program that
-- judged; a different key is a miss, never a wrong answer.
CREATE TABLE judged (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    baseline_id INTEGER NOT NULL,                -- 0: no baseline
    key         TEXT NOT NULL,
    quotes      TEXT NOT NULL,                   -- JSON, one list per cite
    main_empty  INTEGER NOT NULL,                -- the watched text was empty
    PRIMARY KEY (snapshot_id, baseline_id, key)
) STRICT, WITHOUT ROWID;

-- The lock entry built from a snapshot (its passages, hashes and sketch), for
-- the same cites, patterns and acceptance; `key` hashes those and the program.
CREATE TABLE lock_entries (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    key         TEXT NOT NULL,
    entry       TEXT NOT NULL,                   -- JSON
    PRIMARY KEY (snapshot_id, key)
) STRICT, WITHOUT ROWID;
