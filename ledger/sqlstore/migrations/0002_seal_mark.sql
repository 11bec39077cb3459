-- The seal marks (one row). closed: no transaction may be written below this height (the
-- journal's insert checks). sealed: every block below this height is sealed. Sealers
-- move closed up to their height under the sealing lock, then seal up to it. A ledger
-- from before starts just above its last sealed block.
CREATE TABLE seal_mark (
    id     INTEGER PRIMARY KEY,
    closed BIGINT NOT NULL,
    sealed BIGINT NOT NULL
);
INSERT INTO seal_mark (id, closed, sealed) SELECT 1, COALESCE(MAX(height) + 1, 0), COALESCE(MAX(height) + 1, 0) FROM blocks;
