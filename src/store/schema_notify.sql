-- Notifications: what each receiver was told after which run, so that news a
-- receiver missed (it was down) reaches it with the next run.
CREATE TABLE notify_log (
    receiver TEXT NOT NULL,                      -- digest of the receiver's kind and address
    run_id   INTEGER NOT NULL REFERENCES runs(id),
    status   TEXT NOT NULL,                      -- sent | skipped | failed
    error    TEXT,
    PRIMARY KEY (receiver, run_id)
) STRICT;
