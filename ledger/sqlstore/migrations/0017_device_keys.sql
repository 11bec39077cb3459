-- Device keys of SECURE tickets (rotating codes, ledger.Devices): at most one per ticket,
-- the public key of the holder's phone as SPKI DER in hex. secret_digest is the ticket's
-- secret digest when the key was registered: the gate accepts the phone's codes only
-- while it is still the ticket's, so a reissue or a transfer retires the key. device
-- counts the ticket's keys (1 for the first phone); registering again replaces the row.
-- A released or resold seat keeps its row until its next registration: its digest no
-- longer matches.
CREATE TABLE device_keys (
    contract      TEXT NOT NULL,
    sale          BIGINT NOT NULL,
    idx           INTEGER NOT NULL,
    public_key    TEXT NOT NULL,
    secret_digest TEXT NOT NULL,
    device        BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    PRIMARY KEY (contract, sale, idx)
)
