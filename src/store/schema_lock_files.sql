-- Lock files read whole and found to read a table at a time: a file whose
-- length and SHA-256 are the ones recorded for its path is not parsed again
-- before its entries are asked for (each is parsed then, alone). A row that
-- does not match is a miss, never a wrong answer: the file is read whole.
CREATE TABLE lock_files (
    path TEXT PRIMARY KEY,
    len  INTEGER NOT NULL,
    sha  BLOB NOT NULL
) STRICT;
