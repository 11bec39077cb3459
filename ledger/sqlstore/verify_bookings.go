package sqlstore

import (
	"encoding/json"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The replay of bookings (see verify_state.go): a hold takes available seats for its
// booking, a free, cancellation or expiry gives the booking's held seats back, and a
// confirmation sells exactly the seats the booking holds, as an order.

// hold replays TxTicketsHeld: each seat must be available (neither sold nor held).
func (c *projContract) hold(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.TicketsHeldEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	s := c.sale(rep, seq, hash, b, e.Sale)
	if s == nil {
		return nil
	}
	for _, ht := range e.Tickets {
		t := s.ticket(rep, seq, hash, b, ht.Index)
		switch {
		case t == nil:
		case t.sold || t.booking != 0:
			problem(rep, "transaction %d (%s): holds seat index %d of contract %s, which is not available", seq, hash, ht.Index, b.Contract)
		default:
			t.booking, t.format = e.Booking, e.Format
			s.holdAsType(rep, seq, hash, b, t, ht)
		}
	}
	return nil
}

// holdAsType records the ticket type a seat is held as, and reports a type the sale
// does not offer for the seat or a price other than the type's for it.
func (s *projSale) holdAsType(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody, t *projTicket, ht ledger.HeldTicket) {
	if ht.Type == "" {
		return
	}
	t.ticketType, t.typePrice = ht.Type, ht.Price
	typ, ok := ledger.FindTicketType(s.details.TicketTypes, ht.Type)
	price, offered := typ.PriceOf(ht.Seat, t.price)
	switch {
	case !ok:
		problem(rep, "transaction %d (%s): holds seat index %d of contract %s as ticket type %q, which the sale does not offer",
			seq, hash, ht.Index, b.Contract, ht.Type)
	case !offered || price != ht.Price:
		problem(rep, "transaction %d (%s): holds seat index %d of contract %s as ticket type %q at %d, not at the type's price for it",
			seq, hash, ht.Index, b.Contract, ht.Type, ht.Price)
	}
}

// free replays TxTicketFreed, TxBookingCancelled and TxHoldExpired: each seat must be
// held, unsold, by the booking.
func (c *projContract) free(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.BookingSeatsEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	s := c.sale(rep, seq, hash, b, e.Sale)
	if s == nil {
		return nil
	}
	for _, ht := range e.Tickets {
		t := s.ticket(rep, seq, hash, b, ht.Index)
		switch {
		case t == nil:
		case t.sold || t.booking != e.Booking:
			problem(rep, "transaction %d (%s): frees seat index %d of contract %s, which booking %d does not hold", seq, hash, ht.Index, b.Contract, e.Booking)
		default:
			t.booking, t.format, t.ticketType, t.typePrice = 0, "", "", 0
		}
	}
	return nil
}

// charge is what a sale of the ticket charges: its type's price, or its seat's.
func (t *projTicket) charge() int64 {
	if t.ticketType != "" {
		return t.typePrice
	}
	return t.price
}

// confirm replays TxBookingConfirmed: an order of seats the booking holds, which keep
// its number once issued.
func (c *projContract) confirm(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.BookingConfirmedEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	s := c.sale(rep, seq, hash, b, e.Sale)
	if s == nil {
		return nil
	}
	for _, rt := range e.Tickets {
		t := s.ticket(rep, seq, hash, b, rt.Index)
		switch {
		case t == nil:
		case t.sold || t.booking != e.Booking:
			problem(rep, "transaction %d (%s): issues seat index %d of contract %s, which booking %d does not hold", seq, hash, rt.Index, b.Contract, e.Booking)
		case rt.Type != t.ticketType:
			problem(rep, "transaction %d (%s): issues seat index %d of contract %s as ticket type %q, held as %q",
				seq, hash, rt.Index, b.Contract, rt.Type, t.ticketType)
		default:
			t.sold, t.paid, t.holder, t.soldBy = true, t.charge(), e.Holder, b.Actor
			t.setSealing(rt)
		}
	}
	return nil
}
