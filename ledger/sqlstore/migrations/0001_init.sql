-- The ledger's tables. Portable SQL: SQLite and PostgreSQL both run it as written.
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE api_keys (
    id         BIGINT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE contracts (
    address           TEXT PRIMARY KEY,
    venue             TEXT NOT NULL,
    owner             TEXT NOT NULL,
    seat_count        INTEGER NOT NULL,
    release_fee       BIGINT NOT NULL DEFAULT 0,
    no_release_blocks BIGINT NOT NULL DEFAULT 0,
    require_identity  INTEGER NOT NULL DEFAULT 0,
    sale_number       BIGINT NOT NULL DEFAULT 0,
    sale_active       INTEGER NOT NULL DEFAULT 0,
    created_height    BIGINT NOT NULL
);

CREATE TABLE seats (
    contract TEXT NOT NULL REFERENCES contracts (address),
    idx      INTEGER NOT NULL,
    section  TEXT NOT NULL,
    number   INTEGER NOT NULL,
    letter   TEXT NOT NULL,
    PRIMARY KEY (contract, idx),
    UNIQUE (contract, section, number, letter)
);

CREATE TABLE sales (
    contract     TEXT NOT NULL REFERENCES contracts (address),
    number       BIGINT NOT NULL,
    name         TEXT NOT NULL,
    organiser    TEXT NOT NULL,
    show_time    BIGINT NOT NULL,
    end_height   BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    time_zone    TEXT NOT NULL DEFAULT '',
    begun_height BIGINT NOT NULL,
    ended_height BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (contract, number)
);

CREATE TABLE tickets (
    contract      TEXT NOT NULL,
    sale          BIGINT NOT NULL,
    idx           INTEGER NOT NULL,
    price         BIGINT NOT NULL,
    owner         TEXT,
    secret_ct     TEXT NOT NULL DEFAULT '',
    secret_digest TEXT NOT NULL DEFAULT '',
    name_ct       TEXT NOT NULL DEFAULT '',
    name_digest   TEXT NOT NULL DEFAULT '',
    paid          BIGINT NOT NULL DEFAULT 0,
    checked_in_at BIGINT NOT NULL DEFAULT 0,
    gate          TEXT NOT NULL DEFAULT '',
    checkin_nonce TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contract, sale, idx)
);

CREATE TABLE journal (
    seq      BIGINT PRIMARY KEY,
    hash     TEXT NOT NULL UNIQUE,
    height   BIGINT NOT NULL,
    contract TEXT NOT NULL,
    kind     TEXT NOT NULL,
    body     TEXT NOT NULL
);
CREATE INDEX journal_height ON journal (height, seq);

CREATE TABLE blocks (
    height   BIGINT PRIMARY KEY,
    tx_count BIGINT NOT NULL,
    root     TEXT NOT NULL,
    prev     TEXT NOT NULL,
    hash     TEXT NOT NULL
);
