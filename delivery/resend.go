package delivery

import (
	"context"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Reissuer gives a sold ticket a new secret, as issuer.Issuer and the client do.
type Reissuer interface {
	Reissue(ctx context.Context, address string, r issuer.ReissueRequest) (issuer.Purchase, error)
}

// Resender sends a confirmed booking's tickets again (issuer.Resender): it reissues every
// ticket not checked in (one ledger transaction each: from then on their old QR codes are
// refused at the gate) and mails the new ones in one e-mail, queued under the key
// "booking/ID/resent/<the first reissue's transaction hash>". It checks first that the
// customer can be mailed, so that tickets are not reissued into a mail that cannot be
// sent.
type Resender struct {
	Bookings BookingReader
	Issuer   Reissuer
	Courier  *Courier
}

var _ issuer.Resender = Resender{}

// ResendBooking reissues and mails the booking's tickets (see Resender).
func (r Resender) ResendBooking(ctx context.Context, booking int64, req issuer.ResendRequest) (issuer.Resent, error) {
	b, err := r.Bookings.Booking(ctx, booking)
	if err != nil {
		return issuer.Resent{}, err
	}
	if b.State != ledger.BookingConfirmed {
		return issuer.Resent{}, ledger.Errorf(ledger.ECONFLICT,
			"Booking %d is not confirmed (it is %s): it has no tickets to send", booking, b.State)
	}
	cu, err := r.Courier.CanMail(ctx, b.Customer, b.Format)
	if err != nil {
		return issuer.Resent{}, err
	}
	if req.CustomerName == "" {
		req.CustomerName = customerName(cu)
	}
	out, p, err := r.reissue(ctx, b, req.CustomerName)
	if err != nil {
		return out, err
	}
	key := "booking/" + strconv.FormatInt(booking, 10) + "/resent/" + p.TransactionHash
	if err := r.Courier.SendTickets(ctx, b.Customer, key, p); err != nil {
		return out, ledger.Errorf(ledger.EINTERNAL,
			"The tickets of booking %d were reissued but their mail could not be queued: %s", booking, ledger.ErrorMessage(err))
	}
	return out, nil
}

// reissue reissues every ticket of the booking not checked in and returns them as one
// purchase. A refusal of one ticket (EREFUSED, ECONFLICT) skips it; any other error is
// returned while nothing was reissued yet, and skips the ticket once some were, so that
// these still go out.
func (r Resender) reissue(ctx context.Context, b ledger.Booking, name string) (issuer.Resent, issuer.Purchase, error) {
	out := issuer.Resent{Booking: b.ID}
	var p issuer.Purchase
	for _, t := range b.Tickets {
		if t.Status == ledger.TicketCheckedIn {
			out.Skipped = append(out.Skipped, issuer.SkippedTicket{Seat: t.Seat, Reason: "checked in at the gate"})
			continue
		}
		one, err := r.Issuer.Reissue(ctx, b.Contract, issuer.ReissueRequest{Seat: t.Seat, CustomerName: name})
		switch code := ledger.ErrorCode(err); {
		case err == nil:
			p = joined(p, one)
			out.Reissued = append(out.Reissued, t.Seat)
			continue
		case code == ledger.EREFUSED || code == ledger.ECONFLICT || len(out.Reissued) > 0:
			out.Skipped = append(out.Skipped, issuer.SkippedTicket{Seat: t.Seat, Reason: ledger.ErrorMessage(err)})
		default:
			return out, p, err
		}
	}
	if len(out.Reissued) == 0 {
		return out, p, ledger.Errorf(ledger.ECONFLICT, "No ticket of booking %d could be sent again: %s", b.ID, skippedList(out.Skipped))
	}
	return out, p, nil
}

// joined adds a reissued ticket to the purchase being gathered: the first one's
// transaction names it, the last one's height dates it.
func joined(p, one issuer.Purchase) issuer.Purchase {
	if len(p.Tickets) == 0 {
		return one
	}
	p.Tickets = append(p.Tickets, one.Tickets...)
	p.QR = append(p.QR, one.QR...)
	p.Height = one.Height
	return p
}

func skippedList(skipped []issuer.SkippedTicket) string {
	parts := make([]string, len(skipped))
	for i, s := range skipped {
		parts[i] = s.Seat.String() + " " + s.Reason
	}
	return strings.Join(parts, "; ")
}
