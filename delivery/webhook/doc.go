// Package webhook sends the organizers' webhooks: the journal's events, queued durably by
// the store (ledger.WebhookQueue), posted to the endpoints that want them, signed and
// retried.
//
// A Dispatcher runs in `ticketbooth serve`. Each round it has the queue follow the journal
// (FollowJournal: every committed transaction's events become one delivery row per endpoint
// that wants them), then claims as many due deliveries as it has free senders, under a
// lease, and posts each in a goroutine of its own: the JSON body (ledger.WebhookPayload),
// signed by Sign with the endpoint's secret over the timestamp and the body. A 2xx answer
// delivers it; anything else is an attempt recorded with its status or the reason in
// words, and the delivery is tried again after an exponential backoff with jitter, up to
// a cap and a number of attempts, after which it has failed (RetryWebhookDelivery sends
// it again).
//
// What a stranger controls is bounded: one attempt's time (Timeout, connecting, TLS and
// the answer together), the answer's headers and the part of its body read (it is read
// only to reuse the connection, never kept), the senders at once (Workers). Redirects are
// not followed and no proxy is used. Every connection is checked where it connects
// (ledger.CheckWebhookAddress), so a host name that resolves to a private address is
// refused as an address written in the URL is.
//
// Stopping (Run's context ends) lets the attempts in flight finish and be recorded, so a
// restart sends nothing twice; a crash between a 2xx and its record sends that delivery
// again once its lease runs out. Receivers deduplicate on the payload's delivery id.
package webhook
