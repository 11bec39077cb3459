// Package mail builds a booking's confirmation e-mail as an RFC 5322 message and writes it
// into an outbox folder as an .eml file.
//
// Build lays a Confirmation out as multipart/mixed: a multipart/alternative part with the
// plain text and the HTML (html/template, so every value is escaped) in the customer's locale
// (English or German; any other locale falls back to English), then the booking's PDF
// (application/pdf) and any number of Apple Wallet passes (application/vnd.apple.pkpass),
// base64 encoded. A confirmation without a PDF and passes (SECURE tickets) attaches
// nothing and says the tickets are in the wallet; one without a wallet link names none. The headers are From, Reply-To, To, Subject, Date, Message-ID and the MIME
// headers; the To header carries the recipient's address only, never their name. A value
// that would break a header (a CR or LF in a name, title or address) is refused with an
// EINVALID ledger.Error instead of being written.
//
// WriteOutbox writes a message atomically (a temporary file renamed into place) as
// booking-ID.eml, a name that holds the booking id and no personal data.
//
// The package sends nothing, queues nothing and logs nothing: the SMTP transport and the
// durable queue are still to come.
package mail
