-- Transfers and resale. resale_terms holds the organizer's terms of a sale (a cap as a
-- percent of the face value or an amount; a release fee as a percent or an amount; zero:
-- the default). resale_offers holds every offer: the ticket (contract, sale, idx), the
-- seller's account (seller, the tickets' owner then), holder address and selling key,
-- the digest of the ticket's secret when offered (the offer is void once the ticket has
-- another), the ticket's face value (what was paid for it), the price, its state (open, withdrawn, sold), the key that made it, and once
-- sold the buyer's holder address, the release fee and the seller's credit. At most one
-- open offer per ticket and secret.
CREATE TABLE resale_terms (
    contract    TEXT NOT NULL,
    sale        BIGINT NOT NULL,
    cap_percent BIGINT NOT NULL DEFAULT 0,
    cap_amount  BIGINT NOT NULL DEFAULT 0,
    fee_percent BIGINT NOT NULL DEFAULT 0,
    fee_amount  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (contract, sale)
);
CREATE TABLE resale_offers (
    id             BIGINT PRIMARY KEY,
    contract       TEXT NOT NULL,
    sale           BIGINT NOT NULL,
    idx            INTEGER NOT NULL,
    seller         TEXT NOT NULL,
    seller_holder  TEXT NOT NULL,
    seller_sold_by TEXT NOT NULL,
    secret_digest  TEXT NOT NULL,
    face           BIGINT NOT NULL,
    price          BIGINT NOT NULL,
    state          TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    buyer_holder   TEXT NOT NULL DEFAULT '',
    fee            BIGINT NOT NULL DEFAULT 0,
    credit         BIGINT NOT NULL DEFAULT 0,
    closed_at      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX resale_offers_sale ON resale_offers (contract, sale, state);
CREATE UNIQUE INDEX resale_offers_open ON resale_offers (contract, sale, idx, secret_digest) WHERE state = 'open'
