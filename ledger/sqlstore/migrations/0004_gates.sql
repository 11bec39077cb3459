-- The gates seen at each contract's check-ins. A gate is one gate however it is typed:
-- gate_key is its name case-folded (ledger.GateKey), name its spelling when first seen,
-- which every later check-in at that gate writes. Gates already used are taken from the
-- tickets, compared in lower case (ASCII case on SQLite).
CREATE TABLE gates (
    contract TEXT NOT NULL,
    gate_key TEXT NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (contract, gate_key)
);
INSERT INTO gates (contract, gate_key, name)
    SELECT contract, LOWER(gate), MIN(gate) FROM tickets WHERE gate <> '' GROUP BY contract, LOWER(gate);
