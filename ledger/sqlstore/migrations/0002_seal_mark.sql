-- The seal mark: every block below it is sealed, and no transaction may be written below
-- it (the journal's insert checks). Sealers move it up to their height under the sealing
-- lock. A ledger from before it starts just above its last sealed block.
CREATE TABLE seal_mark (
    id    INTEGER PRIMARY KEY,
    below BIGINT NOT NULL
);
INSERT INTO seal_mark (id, below) SELECT 1, COALESCE(MAX(height) + 1, 0) FROM blocks;
