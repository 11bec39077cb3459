// Package delivery hands a customer's tickets to them by e-mail: the Courier turns a
// purchase (the tickets with their keys, as the issuer returns them once) into the
// confirmation e-mail and queues it.
//
// For each purchase the Courier reads the customer (name, e-mail address, locale), the
// contract's sale (show, venue, time and zone) and, through the ticket list, whether the
// tickets are SECURE. It mints a link to the customer's wallet page carrying the
// tickets' codes (Wallets, optional), and then:
//
//   - PDF tickets: renders every ticket as one page of one PDF (ticketpdf, one ticket a QR
//     code, A6 unless the Courier's Layout says otherwise) and, when a pass signer is
//     configured, one Apple Wallet pass per ticket with the same QR text (delivery/pkpass);
//   - SECURE tickets: attaches nothing, since a file would be a copyable code: the mail
//     carries the wallet link only.
//
// The message is built by delivery/mail in the customer's language and handed to the
// mail queue (ledger.MailQueue) under a key that makes the mail sent once ("booking/42/confirmed"). The Courier
// never logs; its errors name no personal data. Keys and QR texts leave the process only
// inside the message the queue keeps sealed, and inside the wallet link's sealed codes.
//
// Confirmer wraps an issuer.BookingConfirmer so every confirmed booking is mailed after
// the ledger committed it; a mail that cannot be built or queued is logged (the booking
// id and the reason, no personal data) and never fails the confirmation.
//
// Resender sends a confirmed booking's tickets again: since the ledger never keeps a
// ticket's keys, it reissues every ticket not checked in (new secrets: the old codes are
// refused at the gate from then on) and mails the new ones, naming the tickets it skipped.
//
// Outbox is a ledger.MailQueue writing each mail at once as an .eml file, for the
// in-process CLI and tests.
package delivery
