// Package demo tells Ticketbooth's whole story once, as `ticketbooth demo` prints it: on a
// fresh SQLite ledger with short blocks it creates two contracts from the theatre fixture
// and sets their rules, begins their sales priced from the fixture's price list, buys
// three orders through the issuer (writing each one's PDF ticket and QR image), sends the
// first one's confirmation e-mail through the durable mail queue into the outbox folder
// beside the ledger (demo.db.outbox), forges a
// QR from the public ticket list, releases a seat, ends the sales, scans the images back
// through the gate's decoder, shows the forgery rejected, and verifies the ledger. Each
// step is one numbered line.
//
// The forgery is the attack the gate must resist (package internal/forge): with CBC, a
// key and IV can be chosen that decrypt a seat's published ciphertext to any secret. The
// gate rejects it because it checks the secret's digest stored at purchase.
package demo
