-- Bookings: a customer's seats held on a contract's sale until expires_at (unix
-- nanoseconds, 0 before the first hold), then confirmed, cancelled or expired. customer
-- is the customer's id alone. A held or issued ticket names its booking (0: none); an
-- outright sale takes only tickets of no booking, so it never sells a held seat.
CREATE TABLE bookings (
    id         BIGINT PRIMARY KEY,
    contract   TEXT NOT NULL,
    sale       BIGINT NOT NULL,
    customer   BIGINT NOT NULL,
    state      TEXT NOT NULL,
    expires_at BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX bookings_expiry ON bookings (state, expires_at);
ALTER TABLE tickets ADD COLUMN booking BIGINT NOT NULL DEFAULT 0;
CREATE INDEX tickets_booking ON tickets (booking) WHERE booking <> 0;
-- How long a sale's bookings hold their seats, in seconds; 0: the default.
ALTER TABLE sales ADD COLUMN hold_seconds BIGINT NOT NULL DEFAULT 0
