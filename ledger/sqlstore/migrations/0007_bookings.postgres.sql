-- Booking ids come from a sequence on PostgreSQL (SQLite's single writer takes MAX + 1).
CREATE SEQUENCE bookings_seq
