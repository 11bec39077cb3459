-- What the season-ticketing command API of seed 004 keeps of an account beyond its
-- customer (ledger.SeasonAccounts): season_accounts holds the account's pin, hashed
-- (ledger.HashPin: PBKDF2-SHA256 with a salt of its own; '' for none), and whether the
-- account is locked; season_alt_ids the account's external ids, each a type and an id
-- that name one customer. Neither is journaled (the journal never holds personal data),
-- and erasing the customer deletes both.
CREATE TABLE season_accounts (
    customer BIGINT PRIMARY KEY,
    pin_hash TEXT NOT NULL DEFAULT '',
    locked   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE season_alt_ids (
    alt_id_type TEXT NOT NULL,
    alt_id      TEXT NOT NULL,
    customer    BIGINT NOT NULL,
    PRIMARY KEY (alt_id_type, alt_id)
);
CREATE INDEX season_alt_ids_customer ON season_alt_ids (customer)
