-- The numbers seed 002's wallet platform (the /bam/ facade) gives this ledger's records
-- (ledger.BamIDs): kind 'event' (a contract: sale 0, name ''), 'timeslot' (a sale of it:
-- name ''), 'sector' (a section of it: sale 0, name the section) and 'ticket_config' (a
-- ticket type of a sale: name the type, '' for the base prices). id: random, below
-- 9,000,000,000 (ledger.BamMaxRecordID), so ticket ids made from a timeslot's stay below
-- 2^53. Nothing here is journaled: the numbers are names, not state.
CREATE TABLE bam_ids (
    id       BIGINT PRIMARY KEY,
    kind     TEXT NOT NULL,
    contract TEXT NOT NULL,
    sale     BIGINT NOT NULL DEFAULT 0,
    name     TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, contract, sale, name)
);
CREATE INDEX bam_ids_contract ON bam_ids (contract, kind)
