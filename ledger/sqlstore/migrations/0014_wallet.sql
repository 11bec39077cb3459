-- The customers' wallet links (ledger.Wallets). A link is found by token_hash, the hex
-- SHA-256 of its token; the token itself is never stored. customer: the customer's id;
-- created_at and revoked_at in unix nanoseconds (revoked_at 0: valid).
-- wallet_codes holds, per link and ticket, the QR text a mail gave the customer, sealed
-- (AES-256-GCM, base64 of nonce and ciphertext) under HKDF-SHA256 of the token, with the
-- hex digest of the secret it was issued for (the code is shown only while the ticket's
-- secret_digest equals it). A revoked link's codes are deleted.
CREATE TABLE wallet_links (
    token_hash TEXT PRIMARY KEY,
    customer   BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX wallet_links_customer ON wallet_links (customer);
CREATE TABLE wallet_codes (
    token_hash    TEXT NOT NULL,
    contract      TEXT NOT NULL,
    sale          BIGINT NOT NULL,
    idx           INTEGER NOT NULL,
    secret_digest TEXT NOT NULL,
    sealed        TEXT NOT NULL,
    PRIMARY KEY (token_hash, contract, sale, idx)
)
