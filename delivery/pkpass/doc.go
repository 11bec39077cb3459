// Package pkpass builds Apple Wallet passes (.pkpass, eventTicket style) for one ticket.
//
// Build takes the ticket's facts (the QR text printed on the PDF, the show, venue, seat,
// time and its zone, an optional location) and a Signer holding the organizer's pass
// certificate, its private key and Apple's WWDR intermediate certificate. It writes a zip
// with pass.json, icon.png and icon@2x.png (plain squares drawn here, which Wallet
// requires), manifest.json (the SHA-1 hex digest of every other file) and signature:
// a detached PKCS#7 SignedData (DER, github.com/smallstep/pkcs7) over manifest.json,
// carrying the signer's and the intermediate's certificates, as Wallet requires.
//
// Text fields are bounded (MaxText, MaxQRText); a fact that is missing or too long is a
// ledger.Error with code EINVALID. The package knows nothing of the ledger's store, the
// server or e-mail: it is not wired into them yet.
package pkpass
