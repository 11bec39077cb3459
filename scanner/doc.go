// Package scanner is the gate: QR text to tickets, verify and check in.
//
// ParseQR parses QR text strictly into ledger.QRTickets; a SECURE ticket's rotating code
// ("TBR1.…", see ledger/rotating.go) is parsed by ledger.ParseRotatingCode. Gate checks the tickets of one
// scan in against the ledger, which verifies and admits them atomically. Service is what
// a door checks tickets in through: the Gate in-process, the HTTP client remotely. Each
// scan carries a fresh NewNonce; Verdict words each result as the line door staff read.
//
// A device that admitted offline uploads its admissions (Upload) through an Uploader:
// the Gate in-process, the HTTP client's CheckInUpload remotely; a Queue keeps them in a
// file meanwhile, surviving a restart, and Upload empties it when the server answers.
//
// The package reads no pictures and links no image decoder, so that the client does not
// either: a Scan's Image is read by the Gate's Pictures (internal/gateread over
// qrdecode), and the server reads uploads itself before they reach the Gate.
package scanner
