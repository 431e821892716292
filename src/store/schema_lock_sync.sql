-- What the lock files were last written (or found already right) from, so
-- that a run where none of it moved does not rebuild and digest them again.
-- `key` hashes the program, the claims, the plan, the ignore patterns and
-- every lock file's digest as written; any change of a baseline or of an
-- acceptance clears it (a missing key is a miss, never a wrong answer).
CREATE TABLE lock_sync (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key TEXT NOT NULL
) STRICT;

CREATE TRIGGER lock_sync_baseline_moved AFTER UPDATE OF baseline ON sources
    WHEN OLD.baseline IS NOT NEW.baseline BEGIN DELETE FROM lock_sync; END;
CREATE TRIGGER lock_sync_source_added AFTER INSERT ON sources
    WHEN NEW.baseline IS NOT NULL BEGIN DELETE FROM lock_sync; END;
CREATE TRIGGER lock_sync_source_removed AFTER DELETE ON sources
    WHEN OLD.baseline IS NOT NULL BEGIN DELETE FROM lock_sync; END;
CREATE TRIGGER lock_sync_accept_added AFTER INSERT ON accepts BEGIN DELETE FROM lock_sync; END;
CREATE TRIGGER lock_sync_accept_changed AFTER UPDATE ON accepts BEGIN DELETE FROM lock_sync; END;
CREATE TRIGGER lock_sync_accept_removed AFTER DELETE ON accepts BEGIN DELETE FROM lock_sync; END;
