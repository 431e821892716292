-- The version of the extraction rules a snapshot's watched and full texts
-- were made with (`extract::RULES`). A snapshot made by older rules has its
-- watched text extracted again from its stored body when it is compared,
-- so an upgrade of citewatch never reads as a change of the page.
ALTER TABLE snapshots ADD COLUMN rules INTEGER NOT NULL DEFAULT 1;
