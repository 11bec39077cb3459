-- Double entries (issue 15): an offline admission uploaded for a ticket admitted before
-- elsewhere (ledger.StatusDoubleEntry). The tickets row keeps the first admission; each
-- later one is kept here, once per nonce (a second upload is the same answer): the gate
-- and device it happened at, when on the device (at) and when uploaded (uploaded_at), in
-- unix nanoseconds, and whether the sale's gate policy forbade offline admission then.
CREATE TABLE double_entries (
    contract       TEXT NOT NULL,
    sale           BIGINT NOT NULL,
    idx            INTEGER NOT NULL,
    nonce          TEXT NOT NULL,
    gate           TEXT NOT NULL,
    device         TEXT NOT NULL DEFAULT '',
    at             BIGINT NOT NULL,
    uploaded_at    BIGINT NOT NULL,
    against_policy INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contract, sale, idx, nonce)
)
