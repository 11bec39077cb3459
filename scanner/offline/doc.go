// Package offline decides at the gate when the server does not answer (issue 15): a
// device keeps a Copy of its sale, made from the server's ledger.GateCopy and kept up to
// date with its increments (Apply, asked with Cursor), and verifies QR text against it
// alone, with the ledger's statuses and reasons.
//
// The copy holds per seat only what lets a device recognise a ticket, never make one:
// the SHA3-224 digest of the ticket's secret (compared in constant time with the
// scanned secret's), under the identity policy the purchaser's name sealed under the
// QR's name key (a name is shown only when a scanned QR opens it), a SECURE ticket's
// phone key (its rotating codes are verified with it, against the device's clock), and
// the check-in the server knows. Verify only verifies; Admit also admits the valid
// tickets locally, so a second scan at the same device is refused, and returns the
// Admission to upload (the QR text, the seats, the gate, the time and the nonce).
// Admissions stay in the copy until the server's copy shows them; Restore puts back an
// admission kept across a restart. Two devices offline can both admit one ticket: the
// ledger records the second as a double entry when both upload.
//
// Like package scanner, it reads no pictures and links no image decoder.
package offline
