package api

import (
	"net/url"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// BookingsPath is the collection of the shop's bookings (POST creates one).
const BookingsPath = "/api/v1.0/bookings"

// BookingPath returns the path of a booking, or of one of its routes ("tickets",
// "confirm", "cancel").
func BookingPath(id int64, route string) string {
	p := BookingsPath + "/" + strconv.FormatInt(id, 10)
	if route != "" {
		p += "/" + route
	}
	return p
}

// BookingSeatPath returns the path of one held seat of a booking (DELETE frees it): the
// seat as text (ledger.Seat.String), escaped for the path.
func BookingSeatPath(id int64, seat ledger.Seat) string {
	return BookingPath(id, "tickets/"+url.PathEscape(seat.String()))
}

// NewBookingRequest is the body of POST /api/v1.0/bookings: the customer's id, the
// contract whose open sale the booking is on, and its tickets' format (PDF, the default,
// or SECURE).
type NewBookingRequest ledger.BookingRequest

// HoldRequest is the body of POST /api/v1.0/bookings/{id}/tickets: the seats to hold, all
// as one ticket type (Type; "": the base price); or Tickets, each seat with its own type;
// or a pick (section, priceLevel, quantity, and Type) the ledger chooses the seats for
// (ledger.Pick, its members inline). One of the three.
type HoldRequest struct {
	Seats   []ledger.Seat     `json:"seats,omitempty"`
	Type    string            `json:"type,omitempty"`
	Tickets []ledger.HoldItem `json:"tickets,omitempty"`
	*ledger.Pick
}

// HoldBody returns the body asking to hold the items: seats and no type when none has a
// type, else the tickets with their types.
func HoldBody(items []ledger.HoldItem) HoldRequest {
	for _, it := range items {
		if it.Type != "" {
			return HoldRequest{Tickets: items}
		}
	}
	return HoldRequest{Seats: ledger.HeldSeats(items)}
}

// PickBody returns the body asking the ledger to pick and hold what p asks for (its type
// travels as the body's type).
func PickBody(p ledger.Pick) HoldRequest { return HoldRequest{Pick: &p, Type: p.Type} }

// Hold returns what the body asks to hold: the items (seats with their types), or a
// pick with its type; EINVALID for a mix of seats, tickets and a pick, or a type beside
// tickets (each ticket names its own).
func (r HoldRequest) Hold() ([]ledger.HoldItem, *ledger.Pick, error) {
	switch {
	case r.Pick != nil && (r.Seats != nil || r.Tickets != nil):
		return nil, nil, ledger.Errorf(ledger.EINVALID, "Give either seats or a quantity to pick (with a section or price level), not both")
	case len(r.Seats) > 0 && len(r.Tickets) > 0:
		return nil, nil, ledger.Errorf(ledger.EINVALID, "Give either seats (with one type for all) or tickets (each with its own type), not both")
	case len(r.Tickets) > 0 && r.Type != "":
		return nil, nil, ledger.Errorf(ledger.EINVALID, "With tickets, give each ticket its own type rather than one type for all")
	case r.Pick != nil:
		p := *r.Pick
		p.Type = r.Type
		return nil, &p, nil
	case len(r.Tickets) > 0:
		return r.Tickets, nil, nil
	}
	return ledger.HoldSeats(r.Type, r.Seats...), nil, nil
}

// ConfirmBookingRequest is the body of POST /api/v1.0/bookings/{id}/confirm (it may be
// empty): the purchaser's name under the identity policy, what was paid (default: the
// total) and how many tickets one QR code carries.
type ConfirmBookingRequest struct {
	CustomerName string `json:"customerName,omitempty"`
	Amount       *int64 `json:"amount,omitempty"`
	TicketsPerQR int    `json:"ticketsPerQR,omitempty"`
}

// ConfirmBody returns the body asking for r.
func ConfirmBody(r issuer.ConfirmRequest) ConfirmBookingRequest {
	return ConfirmBookingRequest{CustomerName: r.CustomerName, Amount: r.Amount, TicketsPerQR: r.TicketsPerQR}
}

// Request returns the confirmation the body asks for, on the A4 layout.
func (b ConfirmBookingRequest) Request() issuer.ConfirmRequest {
	return issuer.ConfirmRequest{CustomerName: b.CustomerName, Amount: b.Amount, TicketsPerQR: b.TicketsPerQR}
}
