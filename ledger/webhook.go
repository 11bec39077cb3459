package ledger

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The webhook events, named as seed 003's Ticketpark names its webhooks (and
// booking-confirmed and ticket-checked-in in the same style). Each is made from the
// journal's transactions by WebhookEventsOf.
const (
	EventNewBooking            = "new-booking"
	EventBookingTicketsUpdated = "booking-tickets-updated"
	EventBookingTicketsDeleted = "booking-tickets-deleted"
	EventBookingCancelled      = "booking-cancelled"
	EventBookingConfirmed      = "booking-confirmed"
	EventNewPayment            = "new-payment"
	EventNewPerson             = "new-person"
	EventTicketCheckedIn       = "ticket-checked-in"
)

// WebhookEventNames are every webhook event, in the order the README lists them.
var WebhookEventNames = []string{EventNewBooking, EventBookingTicketsUpdated, EventBookingTicketsDeleted,
	EventBookingCancelled, EventBookingConfirmed, EventNewPayment, EventNewPerson, EventTicketCheckedIn}

// The states of a webhook delivery: pending until an attempt succeeds (delivered) or
// the attempts run out (failed; RetryWebhookDelivery makes it pending again).
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// The bounds of what an organizer registers.
const (
	MaxWebhooksPerOwner = 20
	MaxWebhookURL       = 2000
	DefaultDeliveryList = 50
	MaxDeliveryList     = 500
)

// WebhookRequest registers an endpoint: its URL (https; http only on loopback) and the
// events it wants (WebhookEventNames; none means every one).
type WebhookRequest struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// Webhook is a registered endpoint. Owner is the actor ID of the key that registered it:
// it receives the events of that key's contracts and customers (an administrator's
// endpoint: every event). The secret that signs its deliveries is shown only once, in
// NewWebhook.
type Webhook struct {
	ID      int64     `json:"id"`
	URL     string    `json:"url"`
	Events  []string  `json:"events"`
	Owner   string    `json:"owner"`
	Created time.Time `json:"created"`
}

// NewWebhook is a webhook just registered, with the secret that signs its deliveries:
// shown this once, never again.
type NewWebhook struct {
	Webhook
	Secret string `json:"secret"`
}

// WebhookAttempt is one attempt to deliver: when, how long it took, the status the
// endpoint answered (0 when it did not answer) and, unless it was delivered, why not in
// words.
type WebhookAttempt struct {
	Number   int           `json:"number"`
	At       time.Time     `json:"at"`
	Duration time.Duration `json:"duration"`
	Status   int           `json:"status"`
	Error    string        `json:"error,omitempty"`
}

// WebhookDelivery is one event queued for one endpoint, with its attempts so far.
type WebhookDelivery struct {
	ID          int64            `json:"id"`
	Webhook     int64            `json:"webhook"`
	Event       string           `json:"event"`
	Transaction string           `json:"transaction"`
	Created     time.Time        `json:"created"`
	State       string           `json:"state"`
	NextAttempt time.Time        `json:"nextAttempt,omitzero"`
	Attempts    []WebhookAttempt `json:"attempts"`
}

// DeliveryQuery asks for a page of an endpoint's deliveries, newest first: at most Limit
// (0: DefaultDeliveryList, at most MaxDeliveryList), older than the delivery After (0:
// from the newest), and only those in State when it is set.
type DeliveryQuery struct {
	Webhook int64
	State   string
	Limit   int
	After   int64
}

// Webhooks is how organizers register endpoints and watch their deliveries. Organizer
// keys manage their own endpoints, the administrator every one: EUNAUTHORIZED without a
// key, EFORBIDDEN for another role, ENOTFOUND for another organizer's endpoint.
type Webhooks interface {
	// AddWebhook registers an endpoint and returns it with its secret, shown this once:
	// EINVALID for a malformed URL or an unknown event, EREFUSED for an address the server
	// may not send to (see CheckWebhookURL) or an owner at MaxWebhooksPerOwner.
	AddWebhook(ctx context.Context, r WebhookRequest) (NewWebhook, error)
	// Webhooks lists the actor's endpoints (the administrator's: every one), by id.
	Webhooks(ctx context.Context) ([]Webhook, error)
	// RemoveWebhook removes the endpoint with its deliveries: nothing more is sent to it.
	RemoveWebhook(ctx context.Context, id int64) error
	// WebhookDeliveries returns a page of the endpoint's deliveries with their attempts.
	WebhookDeliveries(ctx context.Context, q DeliveryQuery) ([]WebhookDelivery, error)
	// RetryWebhookDelivery sends a delivery again as soon as a sender is free, whatever
	// its state, and returns it.
	RetryWebhookDelivery(ctx context.Context, id int64) (WebhookDelivery, error)
}

// WebhookRoles are the roles that may manage webhooks, besides the administrator.
var WebhookRoles = []Role{RoleOrganizer}

// ParseWebhookEvents checks the event names and returns them sorted and without
// repeats; none means every event. EINVALID names an unknown one.
func ParseWebhookEvents(names []string) ([]string, error) {
	if len(names) == 0 {
		return slices.Clone(WebhookEventNames), nil
	}
	var out []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if !slices.Contains(WebhookEventNames, n) {
			return nil, Errorf(EINVALID, "Unknown webhook event %q: the events are %s", clip(n, 40), strings.Join(WebhookEventNames, ", "))
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// CheckDeliveryQuery checks a query's state and limit and fills in the default limit.
func CheckDeliveryQuery(q DeliveryQuery) (DeliveryQuery, error) {
	switch q.State {
	case "", DeliveryPending, DeliveryDelivered, DeliveryFailed:
	default:
		return q, Errorf(EINVALID, "Unknown delivery state %q: pending, delivered or failed", clip(q.State, 40))
	}
	if q.Limit == 0 {
		q.Limit = DefaultDeliveryList
	}
	if q.Limit < 1 || q.Limit > MaxDeliveryList {
		return q, Errorf(EINVALID, "A page of deliveries holds 1 to %d", MaxDeliveryList)
	}
	return q, nil
}
