package api

import "strconv"

// WebhooksPath is the collection of the organizer's webhook endpoints: POST registers
// one (ledger.WebhookRequest; the answer, a ledger.NewWebhook, shows its secret this
// once), GET lists them.
const WebhooksPath = "/api/v1.0/webhooks"

// WebhookPath returns the path of an endpoint (DELETE removes it) or of one of its
// routes: WebhookPath(3, "deliveries") lists its deliveries, newest first, paged by
// ?limit= and ?cursor=, filtered by ?state=.
func WebhookPath(id int64, route string) string {
	p := WebhooksPath + "/" + strconv.FormatInt(id, 10)
	if route != "" {
		p += "/" + route
	}
	return p
}

// WebhookDeliveryRetryPath returns the path that sends a delivery again (POST).
func WebhookDeliveryRetryPath(id int64) string {
	return "/api/v1.0/webhook-deliveries/" + strconv.FormatInt(id, 10) + "/retry"
}

// WebhookDeliveryList names the deliveries' list in its cursors (Cursor).
const WebhookDeliveryList = "webhook-deliveries"
