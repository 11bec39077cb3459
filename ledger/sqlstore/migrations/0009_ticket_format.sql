-- Ticket formats (ledger.FormatPDF, ledger.FormatSecure). A booking's format is set when
-- it is opened; a ticket's format is its booking's from the hold on (the hold copies it),
-- and PDF again once freed, cancelled, expired or released: every other ticket is PDF.
-- bookings_customer finds a customer's bookings, for the ticket list's owner filter.
ALTER TABLE bookings ADD COLUMN format TEXT NOT NULL DEFAULT 'PDF';
ALTER TABLE tickets ADD COLUMN format TEXT NOT NULL DEFAULT 'PDF';
CREATE INDEX bookings_customer ON bookings (customer, id)
