// Package issuer sells tickets: it reserves, sells and releases seats against the ledger
// with fresh secrets, reissues them, and builds the QR payloads the purchaser keeps.
//
// Reserve seals a fresh 15-character secret for every seat (and the purchaser's name,
// under the contract's identity policy) and has the ledger sell them in one transaction;
// Prepare and Sell do the same in two steps for a pipelined shop. QRTexts writes the
// tickets as QR payloads, up to MaxSeatsPerTicket a code. How many tickets one code may
// carry depends on the page it will be printed on: PrintableQRTexts groups a purchase so
// that every module prints at least MinModuleMM (0.5 mm) on the request's Layout, reading
// each code's QR version from the byte-mode capacity table (VersionM) rather than building
// the symbol.
//
// WalletResender answers a wallet link that reached someone else: it revokes the
// customer's links, reissues the tickets they hold (a new link cannot open codes sealed
// under the old tokens, and the ledger keeps no keys) and has a TicketMailer (the
// Courier) mail them, one mail per contract, each with a new link.
//
// The package draws nothing: ticketpdf renders the PDF tickets and QR images, so that
// selling (and the client, which imports this package for its types) links no QR encoder
// and no fonts.
package issuer
