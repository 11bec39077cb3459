package issuer

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ConfirmRequest confirms a booking: the purchaser name under the identity policy, what
// was paid (nil: exactly the total), and how the codes print (see Request).
type ConfirmRequest struct {
	CustomerName string `json:"customerName,omitempty"`
	Amount       *int64 `json:"amount,omitempty"`
	TicketsPerQR int    `json:"ticketsPerQR,omitempty"`
	Layout       Layout `json:"-"`
}

// BookingConfirmer confirms bookings with fresh secrets: the Issuer in-process, the HTTP
// client remotely.
type BookingConfirmer interface {
	// ConfirmBooking issues the booking's held seats within its hold, as a purchase.
	ConfirmBooking(ctx context.Context, booking int64, r ConfirmRequest) (Purchase, error)
}

var _ BookingConfirmer = (*Issuer)(nil)

// ConfirmBooking reads the booking, seals a fresh secret for each seat it holds (and the
// name under the identity policy), and has the ledger confirm it in one transaction: the
// held seats sold as an order to the customer's account (ledger.BookingSender). It
// returns the purchase as Reserve does, with its keys and QR texts. A booking confirmed,
// cancelled or expired is refused in words (ECONFLICT), and so is one whose seats changed
// between the read and the confirmation.
func (i *Issuer) ConfirmBooking(ctx context.Context, id int64, r ConfirmRequest) (Purchase, error) {
	if i.Bookings == nil {
		return Purchase{}, ledger.Errorf(ledger.EINTERNAL, "the issuer has no bookings to confirm")
	}
	b, err := i.Bookings.Booking(ctx, id)
	if err != nil {
		return Purchase{}, err
	}
	if err := ledger.BookingRefusal(b); err != nil {
		return Purchase{}, err
	}
	req := Request{Seats: b.Seats(), CustomerName: r.CustomerName, Sender: ledger.BookingSender(b.Customer), Amount: r.Amount,
		TicketsPerQR: r.TicketsPerQR, Layout: r.Layout}
	return i.underPolicy(ctx, b.Contract, func(required bool) (Purchase, error) {
		p, err := Prepare(b.Contract, req, required)
		if err != nil {
			return Purchase{}, err
		}
		rc, err := i.Bookings.Confirm(ctx, id, p.Order)
		if err != nil {
			return Purchase{}, err
		}
		return Completed(p.Purchase, rc), nil
	})
}
