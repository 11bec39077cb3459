-- The records of the /ticketpark/ facade (seed 003): Ticketpark's pids and what they map
-- onto. Pids are random 16-digit hex strings (a booking's: 12 digits). host: the actor ID
-- of the organizer key that created the record ("key:7"). A show is a contract of its own
-- (contract: its address), made from its venue's sectors when the show is created; its
-- sale begins on its first ticket. A sector is a general-admission section of its
-- show's contract, named as the sector. price: minor units of the event's currency.
-- tp_bookings.booking: the ledger booking (0 before its first ticket), on show_pid's contract.
-- Every row names its host, so an organizer key reads its own alone.
-- seq: the order records were created in, for the collections' pages.
CREATE TABLE tp_venues (
    pid  TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    host TEXT NOT NULL,
    name TEXT NOT NULL,
    city TEXT NOT NULL
);
CREATE TABLE tp_sectors (
    pid            TEXT PRIMARY KEY,
    seq            BIGINT NOT NULL,
    host           TEXT NOT NULL,
    venue          TEXT NOT NULL,
    name           TEXT NOT NULL,
    price_category BIGINT NOT NULL,
    capacity       BIGINT NOT NULL
);
CREATE INDEX tp_sectors_venue ON tp_sectors (venue, seq);
CREATE TABLE tp_events (
    pid      TEXT PRIMARY KEY,
    seq      BIGINT NOT NULL,
    host     TEXT NOT NULL,
    name     TEXT NOT NULL,
    currency TEXT NOT NULL,
    digital  INTEGER NOT NULL
);
CREATE TABLE tp_shows (
    pid      TEXT PRIMARY KEY,
    seq      BIGINT NOT NULL,
    host     TEXT NOT NULL,
    event    TEXT NOT NULL,
    venue    TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    zone     TEXT NOT NULL,
    contract TEXT NOT NULL
);
CREATE INDEX tp_shows_event ON tp_shows (event, seq);
CREATE TABLE tp_prices (
    pid            TEXT PRIMARY KEY,
    seq            BIGINT NOT NULL,
    host           TEXT NOT NULL,
    event          TEXT NOT NULL,
    name           TEXT NOT NULL,
    price_category BIGINT NOT NULL,
    price          BIGINT NOT NULL
);
CREATE INDEX tp_prices_event ON tp_prices (event, seq);
CREATE TABLE tp_bookings (
    pid      TEXT PRIMARY KEY,
    seq      BIGINT NOT NULL,
    host     TEXT NOT NULL,
    customer BIGINT NOT NULL,
    show_pid TEXT NOT NULL DEFAULT '',
    booking  BIGINT NOT NULL DEFAULT 0,
    delivery INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE TABLE tp_emails (
    booking      TEXT NOT NULL,
    type         TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL
)
