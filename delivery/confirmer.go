package delivery

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// BookingReader reads a booking, as ledger.Bookings does.
type BookingReader interface {
	Booking(ctx context.Context, id int64) (ledger.Booking, error)
}

// Confirmer confirms bookings through the issuer.BookingConfirmer it wraps and then, the
// ledger having committed, mails each booking's tickets to its customer under the key
// ConfirmedKey(id). The answer is the wrapped confirmer's, unchanged: a mail that cannot
// be built or queued is logged (the booking id and the reason, never the customer's data
// or a key) and the confirmation still succeeds. Bookings confirmed with tickets their
// caller sealed (confirmSealed) never pass here: the server has no keys to mail.
type Confirmer struct {
	issuer.BookingConfirmer
	Bookings BookingReader
	Courier  *Courier
	Log      *slog.Logger // nil: nothing is logged
}

var _ issuer.BookingConfirmer = Confirmer{}

// ConfirmedKey is the queue key of a booking's confirmation mail: "booking/ID/confirmed".
func ConfirmedKey(booking int64) string {
	return "booking/" + strconv.FormatInt(booking, 10) + "/confirmed"
}

// ConfirmBooking confirms the booking, then queues its mail (see Confirmer).
func (c Confirmer) ConfirmBooking(ctx context.Context, booking int64, r issuer.ConfirmRequest) (issuer.Purchase, error) {
	p, err := c.BookingConfirmer.ConfirmBooking(ctx, booking, r)
	if err != nil {
		return p, err
	}
	if err := c.mail(context.WithoutCancel(ctx), booking, p); err != nil && c.Log != nil {
		c.Log.Warn("confirmation mail not queued", "booking", booking,
			"code", ledger.ErrorCode(err), "reason", ledger.ErrorMessage(err))
	}
	return p, nil
}

func (c Confirmer) mail(ctx context.Context, booking int64, p issuer.Purchase) error {
	b, err := c.Bookings.Booking(ctx, booking)
	if err != nil {
		return err
	}
	return c.Courier.SendTickets(ctx, b.Customer, ConfirmedKey(booking), p)
}
