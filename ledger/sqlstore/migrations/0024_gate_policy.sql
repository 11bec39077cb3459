-- The gate policy of a sale (ledger.GatePolicy), kept with the sale: whether a gate's
-- device may admit from its own copy while the server does not answer (1: allowed, the
-- default) and whether a holder who went out may come in again (0: refused, the default).
ALTER TABLE sales ADD COLUMN offline_admission INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sales ADD COLUMN reentry INTEGER NOT NULL DEFAULT 0
