package ledger

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// WebhookData is what a webhook's body says of its event: ids, and what the journal's
// public effects already show (seats, ticket types, prices, amounts, the gate); never a
// name or an e-mail address. The receiver reads the rest (the booking, the person) from
// the API with its own key. Booking and Person are ids of the ledger's records.
type WebhookData struct {
	Booking  int64           `json:"booking,omitempty"`
	Person   int64           `json:"person,omitempty"`
	Contract string          `json:"contract,omitempty"`
	Sale     int64           `json:"sale,omitempty"`
	State    string          `json:"state,omitempty"`
	Change   string          `json:"change,omitempty"`
	Tickets  []WebhookTicket `json:"tickets,omitempty"`
	Amount   int64           `json:"amount,omitempty"`
	Total    int64           `json:"total,omitempty"`
	Gate     string          `json:"gate,omitempty"`
}

// WebhookTicket is one seat an event concerns, with its ticket type and price when the
// event has them.
type WebhookTicket struct {
	Seat  Seat   `json:"seat"`
	Type  string `json:"type,omitempty"`
	Price int64  `json:"price,omitempty"`
}

// WebhookEvent is one event a transaction makes: its name, the key that makes it one
// delivery per endpoint however often it is seen (new-booking: one per booking), and
// its data.
type WebhookEvent struct {
	Name string
	Key  string
	Data WebhookData
}

// WebhookPayload is the JSON body of a delivery, exactly the bytes that are signed.
// Delivery is the same for every attempt of one delivery: a receiver that sees it twice
// (sending is at least once) ignores the second.
type WebhookPayload struct {
	Delivery    int64           `json:"delivery"`
	Event       string          `json:"event"`
	Created     time.Time       `json:"created"`
	Transaction string          `json:"transaction"`
	Data        json.RawMessage `json:"data"`
}

// WebhookKinds are the journal kinds that make webhook events.
var WebhookKinds = []string{TxTicketsHeld, TxTicketFreed, TxHoldExpired, TxBookingCancelled,
	TxBookingConfirmed, TxTicketsReserved, TxCustomerCreated, TxCheckIn}

// WebhookEventsOf returns the events of a journal transaction (none for kinds that make
// none), in the order they are queued. EINTERNAL when its effect does not decode.
func WebhookEventsOf(b TxBody, hash string) ([]WebhookEvent, error) {
	switch b.Kind {
	case TxTicketsHeld:
		return heldEvents(b, hash)
	case TxTicketFreed, TxHoldExpired, TxBookingCancelled:
		return freedEvents(b, hash)
	case TxBookingConfirmed:
		return confirmedEvents(b, hash)
	case TxTicketsReserved:
		var e TicketsReservedEffect
		if err := decodeEffect(b, &e); err != nil {
			return nil, err
		}
		d := WebhookData{Contract: b.Contract, Sale: e.Sale, Amount: e.Amount, Total: e.Total}
		return []WebhookEvent{event(EventNewPayment, hash, d)}, nil
	case TxCustomerCreated:
		var e CustomerEffect
		if err := decodeEffect(b, &e); err != nil {
			return nil, err
		}
		return []WebhookEvent{event(EventNewPerson, hash, WebhookData{Person: e.Customer})}, nil
	case TxCheckIn:
		return checkInEvents(b, hash)
	}
	return nil, nil
}

func event(name, hash string, d WebhookData) WebhookEvent {
	return WebhookEvent{Name: name, Key: hash + "/" + name, Data: d}
}

func decodeEffect(b TxBody, v any) error {
	if err := json.Unmarshal(b.Effect, v); err != nil {
		return Errorf(EINTERNAL, "decoding the effect of a %s transaction: %v", b.Kind, err)
	}
	return nil
}

// heldEvents: a hold is new-booking for the booking's first hold (one per booking,
// however many holds follow) and booking-tickets-updated.
func heldEvents(b TxBody, hash string) ([]WebhookEvent, error) {
	var e TicketsHeldEffect
	if err := decodeEffect(b, &e); err != nil {
		return nil, err
	}
	first := WebhookEvent{Name: EventNewBooking, Key: "booking/" + strconv.FormatInt(e.Booking, 10) + "/new",
		Data: WebhookData{Booking: e.Booking, Contract: b.Contract, Sale: e.Sale, State: BookingOpen}}
	d := WebhookData{Booking: e.Booking, Contract: b.Contract, Sale: e.Sale, Change: "held", Tickets: heldTickets(e.Tickets)}
	return []WebhookEvent{first, event(EventBookingTicketsUpdated, hash, d)}, nil
}

// freedEvents: seats back in the pool are booking-tickets-deleted and
// booking-tickets-updated; a cancelled or expired booking is booking-cancelled too.
func freedEvents(b TxBody, hash string) ([]WebhookEvent, error) {
	var e BookingSeatsEffect
	if err := decodeEffect(b, &e); err != nil {
		return nil, err
	}
	change := map[string]string{TxTicketFreed: "freed", TxHoldExpired: "expired", TxBookingCancelled: "cancelled"}[b.Kind]
	d := WebhookData{Booking: e.Booking, Contract: b.Contract, Sale: e.Sale, Change: change, Tickets: heldTickets(e.Tickets)}
	var out []WebhookEvent
	if len(e.Tickets) > 0 {
		out = append(out, event(EventBookingTicketsDeleted, hash, d), event(EventBookingTicketsUpdated, hash, d))
	}
	if b.Kind != TxTicketFreed {
		state := map[string]string{TxHoldExpired: BookingExpired, TxBookingCancelled: BookingCancelled}[b.Kind]
		out = append(out, event(EventBookingCancelled, hash, WebhookData{Booking: e.Booking, Contract: b.Contract, Sale: e.Sale, State: state}))
	}
	return out, nil
}

// confirmedEvents: a confirmed booking is booking-confirmed and its payment new-payment.
func confirmedEvents(b TxBody, hash string) ([]WebhookEvent, error) {
	var e BookingConfirmedEffect
	if err := decodeEffect(b, &e); err != nil {
		return nil, err
	}
	tickets := make([]WebhookTicket, len(e.Tickets))
	for i, t := range e.Tickets {
		tickets[i] = WebhookTicket{Seat: t.Seat, Type: t.Type, Price: t.Price}
	}
	d := WebhookData{Booking: e.Booking, Contract: b.Contract, Sale: e.Sale, State: BookingConfirmed, Tickets: tickets, Total: e.Total}
	pay := WebhookData{Booking: e.Booking, Contract: b.Contract, Sale: e.Sale, Amount: e.Amount, Total: e.Total}
	return []WebhookEvent{event(EventBookingConfirmed, hash, d), event(EventNewPayment, hash, pay)}, nil
}

// checkInEvents: an attempt at the gate that admitted seats is ticket-checked-in, for
// those seats; a refused or unreadable one makes no event.
func checkInEvents(b TxBody, hash string) ([]WebhookEvent, error) {
	var e CheckInEffect
	if err := decodeEffect(b, &e); err != nil {
		return nil, err
	}
	var tickets []WebhookTicket
	for _, r := range e.Results {
		if r.Status == StatusAdmitted {
			tickets = append(tickets, WebhookTicket{Seat: r.Seat})
		}
	}
	if len(tickets) == 0 {
		return nil, nil
	}
	return []WebhookEvent{event(EventTicketCheckedIn, hash, WebhookData{Contract: b.Contract, Gate: e.Gate, Tickets: tickets})}, nil
}

func heldTickets(held []HeldTicket) []WebhookTicket {
	out := make([]WebhookTicket, len(held))
	for i, t := range held {
		out[i] = WebhookTicket{Seat: t.Seat, Type: t.Type, Price: t.Price}
	}
	return out
}

// WebhookClaim is a due delivery a sender has taken for one attempt, under a lease: no
// other sender takes it until the lease runs out. Number is the attempt's number.
type WebhookClaim struct {
	Webhook int64
	URL     string
	Secret  string
	Lease   string
	Number  int
	Payload WebhookPayload
}

// WebhookOutcome is what one attempt of a claimed delivery did: delivered, or when it
// was not, the time of the next attempt (zero: no more attempts, the delivery failed).
type WebhookOutcome struct {
	Delivery  int64
	Lease     string
	Attempt   WebhookAttempt
	Delivered bool
	Next      time.Time
}

// WebhookQueue is the durable queue the webhook senders work from (the SQL store): it
// follows the journal, turning each transaction's events into one delivery per endpoint
// that wants it, and hands due deliveries out under leases, so several servers on one
// database send each once.
type WebhookQueue interface {
	// FollowJournal queues the events of up to limit journal transactions past the
	// queue's cursor whose blocks are closed, moves the cursor past them and returns how
	// many it read (limit: there may be more). Ahead of the cursor it also queues what
	// has committed in the open blocks, so events need not wait for their block; the
	// cursor's pass queues nothing twice.
	FollowJournal(ctx context.Context, limit int) (int, error)
	// ClaimWebhookDeliveries takes up to n pending deliveries that are due and not leased,
	// each for lease.
	ClaimWebhookDeliveries(ctx context.Context, n int, lease time.Duration) ([]WebhookClaim, error)
	// RecordWebhookAttempt records an attempt of a claimed delivery and its outcome. A
	// lease that ran out and was taken by another sender records the attempt only.
	RecordWebhookAttempt(ctx context.Context, o WebhookOutcome) error
}
