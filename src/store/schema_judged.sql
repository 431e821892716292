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
