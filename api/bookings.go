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

// HoldRequest is the body of POST /api/v1.0/bookings/{id}/tickets: the seats to hold, or
// a pick (section, priceLevel, quantity, type) the ledger chooses the seats for
// (ledger.Pick, its members inline).
type HoldRequest struct {
	Seats []ledger.Seat `json:"seats,omitempty"`
	*ledger.Pick
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
