-- Version 3: the lock entry (claims/NAME.lock) a source had before an accept,
-- so `accept --undo` can put it back on a machine that never held that baseline.
ALTER TABLE accepts ADD COLUMN lock_before TEXT;
