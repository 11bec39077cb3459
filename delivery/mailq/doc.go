// Package mailq sends the mails of the durable mail queue (ledger.MailSpool): a Worker in
// the serve process claims due mails for a lease, hands each to a Transport (an SMTP
// server, or an outbox folder of .eml files), records it sent, and on failure queues it
// again after an exponential backoff with jitter, or marks it failed for good when the
// server refused it permanently (a 5xx reply) or it ran out of attempts.
//
// Each mail key is queued once and, normally, sent once. A sender that stops between
// handing a mail over and recording it (a crash, a kill) leaves its lease to expire, and
// the mail is sent again: at-least-once across a crash is the honest bound. (A mail is
// recorded while the next is handed over, so that records share the store's commits: a
// crash may send again the few mails handed over during the last commit.)
//
// The queued messages are sealed under the delivery key (LoadDeliveryKey), a file kept
// outside the database. Logs name a mail by its id and key and its recipient by domain
// only (ledger.MaskAddress); never a password, a key or a message.
package mailq
