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
		}
	}
	return nil
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
			t.booking, t.format = 0, ""
		}
	}
	return nil
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
		default:
			t.sold, t.paid, t.holder, t.soldBy = true, t.price, e.Holder, b.Actor
			t.setSealing(rt)
		}
	}
	return nil
}
