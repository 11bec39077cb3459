package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Free returns one held seat of an open booking to the pool. A seat of a confirmed
// booking is issued: ECONFLICT, in words (releasing the ticket returns it).
func (s *Bookings) Free(ctx context.Context, id int64, seat ledger.Seat) (ledger.BookingReceipt, error) {
	if err := seat.Validate(); err != nil {
		return ledger.BookingReceipt{}, err
	}
	var out ledger.BookingReceipt
	err := s.onBooking(ctx, "freeing a seat", id, func(w *wtx, c ledger.Contract) error {
		bk, err := lockOpen(w, id, 0)
		if err != nil {
			return err
		}
		ht, err := freeSeat(w, bk, seat)
		if err != nil {
			return err
		}
		out, err = journalBooking(w, ledger.TxTicketFreed, bk,
			ledger.BookingSeatsEffect{Sale: bk.sale, Booking: id, Tickets: []ledger.HeldTicket{ht}})
		return err
	})
	return out, err
}

// freeSeat returns one seat the booking holds to the pool, and returns it as it was held
// (its type and price).
func freeSeat(w *wtx, bk bookingRow, seat ledger.Seat) (ledger.HeldTicket, error) {
	ht := ledger.HeldTicket{Seat: seat}
	var err error
	if ht.Index, err = seatIndex(w, bk.contract, seat); err != nil {
		return ht, err
	}
	err = w.row(`SELECT `+typeSQL+` FROM tickets t WHERE contract = ? AND sale = ? AND idx = ? AND booking = ? AND owner IS NULL`,
		bk.contract, bk.sale, ht.Index, bk.id).Scan(&ht.Type, &ht.Price)
	if errors.Is(err, sql.ErrNoRows) {
		return ht, ledger.Errorf(ledger.EREFUSED, "Seat %s is not held by booking %d", seat, bk.id)
	}
	if err != nil {
		return ht, err
	}
	res, err := w.exec(`UPDATE tickets SET booking = 0, format = 'PDF', ticket_type = '', type_price = 0
		WHERE contract = ? AND sale = ? AND idx = ? AND booking = ? AND owner IS NULL`, bk.contract, bk.sale, ht.Index, bk.id)
	return ht, changedUnlessOne(res, err)
}

// Cancel ends an open booking whose hold has not passed and returns its seats.
func (s *Bookings) Cancel(ctx context.Context, id int64) (ledger.BookingReceipt, error) {
	var out ledger.BookingReceipt
	err := s.onBooking(ctx, "cancelling the booking", id, func(w *wtx, c ledger.Contract) error {
		bk, err := lockOpen(w, id, 0)
		if err != nil {
			return err
		}
		if _, err := w.exec(`UPDATE bookings SET state = 'cancelled' WHERE id = ?`, id); err != nil {
			return err
		}
		held, err := heldSeats(w.runner, bk)
		if err != nil {
			return err
		}
		if _, err := w.exec(`UPDATE tickets SET booking = 0, format = 'PDF', ticket_type = '', type_price = 0 WHERE booking = ? AND booking <> 0 AND owner IS NULL`, id); err != nil {
			return err
		}
		bk.state = ledger.BookingCancelled
		out, err = journalBooking(w, ledger.TxBookingCancelled, bk, ledger.BookingSeatsEffect{Sale: bk.sale, Booking: id, Tickets: held})
		return err
	})
	return out, err
}

// Confirm sells the booking's held seats as the order o, within the booking's hold:
// o's tickets are exactly the held seats, freshly sealed, and its sender the customer's
// account (ledger.BookingSender). Each seat is taken by takeSQL, the outright sale's
// conditional update, for the seats of this booking; the amounts, the holder and the
// journal are those of an order.
func (s *Bookings) Confirm(ctx context.Context, id int64, o ledger.Order) (ledger.OrderReceipt, error) {
	if err := validateOrder(o); err != nil {
		return ledger.OrderReceipt{}, err
	}
	var out ledger.OrderReceipt
	err := s.onBooking(ctx, "confirming the booking", id, func(w *wtx, c ledger.Contract) error {
		bk, err := lockConfirm(w, id)
		if err != nil {
			return err
		}
		held, err := confirmable(w, c, bk, o)
		if err != nil {
			return err
		}
		holder := s.holders.address(c.Address, w.actor.ID(), o.Sender)
		taken := make([]takenSeat, len(o.Tickets))
		for _, i := range seatOrder(o.Tickets) {
			taken[i], err = take(w, c, o.Tickets[i], seller{sender: o.Sender, holder: holder, by: w.actor.ID(), booking: id})
			if errors.Is(err, errNotTaken) {
				return errors.Join(w.aboveMark(), errChanged)
			}
			if err != nil {
				return err
			}
		}
		eff, err := orderEffect(ledger.TicketsReservedEffect{Sale: bk.sale, Holder: holder}, o, taken)
		if err != nil {
			return err
		}
		for i := range eff.Tickets {
			eff.Tickets[i].Type = held[eff.Tickets[i].Seat.Key()]
		}
		rc, err := w.journal(ledger.TxBookingConfirmed, c.Address, ledger.BookingConfirmedEffect{Booking: id, TicketsReservedEffect: eff})
		out = orderReceipt(rc, eff)
		return err
	})
	return out, err
}

// lockConfirm marks an open booking whose hold has not passed confirmed, and returns it;
// otherwise the refusal (confirmed twice, cancelled, expired: ECONFLICT).
func lockConfirm(w *wtx, id int64) (bookingRow, error) {
	bk := bookingRow{id: id, state: ledger.BookingConfirmed}
	err := w.row(`UPDATE bookings SET state = 'confirmed' WHERE id = ? AND state = 'open' AND expires_at > ?
		RETURNING contract, sale, customer, expires_at`, id, w.now.UnixNano()).Scan(&bk.contract, &bk.sale, &bk.customer, &bk.expires)
	if errors.Is(err, sql.ErrNoRows) {
		return bk, refusal(w, id)
	}
	return bk, err
}

// confirmable checks the order against the booking: its sale open, its sender the
// customer's account, its seats exactly the held ones. It returns the held seats' ticket
// types by seat key.
func confirmable(w *wtx, c ledger.Contract, bk bookingRow, o ledger.Order) (map[string]string, error) {
	if !ledger.SaleOpen(c, w.height) || c.Sale.Number != bk.sale {
		return nil, ledger.Errorf(ledger.ECONFLICT, "Sale is not currently open")
	}
	if want := ledger.BookingSender(bk.customer); o.Sender != want {
		return nil, ledger.Errorf(ledger.EINVALID, "The tickets of booking %d are sold to its customer's account %s", bk.id, want)
	}
	held, err := heldSeats(w.runner, bk)
	if err != nil {
		return nil, err
	}
	types := make(map[string]string, len(held))
	for _, h := range held {
		types[h.Seat.Key()] = h.Type
	}
	for _, t := range o.Tickets {
		if _, ok := types[t.Seat.Key()]; !ok {
			return nil, ledger.Errorf(ledger.ECONFLICT, "Seat %s is not held by booking %d; read the booking and confirm again", t.Seat, bk.id)
		}
	}
	if len(held) != len(o.Tickets) {
		return nil, ledger.Errorf(ledger.ECONFLICT, "Booking %d holds %d seats, the confirmation names %d; read the booking and confirm again",
			bk.id, len(held), len(o.Tickets))
	}
	return types, nil
}

// Booking reads a booking and its tickets, for the keys that may sell on its contract.
func (s *Bookings) Booking(ctx context.Context, id int64) (ledger.Booking, error) {
	actor, err := ledger.Authorize(ctx, asSeller.roles...)
	if err != nil {
		return ledger.Booking{}, err
	}
	if err := ledger.ValidateBookingID(id); err != nil {
		return ledger.Booking{}, err
	}
	// One snapshot: a booking read while another server expires or frees it is read as
	// it was before or after, never its row before and its tickets after.
	var b ledger.Booking
	var c ledger.Contract
	err = s.snapshot(ctx, func(r runner) error {
		if b, err = readBooking(r, id, s.now()); err != nil {
			return err
		}
		c, err = loadContract(r, b.Contract)
		return err
	})
	if err != nil {
		return ledger.Booking{}, s.internal("reading the booking", err)
	}
	if err := ledger.AuthorizeSeller(actor, c.Owner, c.Address); err != nil {
		return ledger.Booking{}, err
	}
	return b, nil
}

// readBooking reads the booking and its tickets as they are at now: held or issued
// (checked in); an expired booking holds none.
func readBooking(r runner, id int64, now time.Time) (ledger.Booking, error) {
	bk, err := readBookingRow(r, id)
	if err != nil {
		return ledger.Booking{}, err
	}
	return bookingOf(r, bk, now)
}

// bookingOf is the booking of the row with its tickets as they are at now.
func bookingOf(r runner, bk bookingRow, now time.Time) (ledger.Booking, error) {
	b := ledger.Booking{ID: bk.id, Customer: bk.customer, Contract: bk.contract, Sale: bk.sale, State: bookingState(bk, now),
		Format: bk.format, Tickets: []ledger.BookedTicket{}}
	if bk.expires != 0 {
		b.Expires = time.Unix(0, bk.expires).UTC()
	}
	if b.State == ledger.BookingExpired {
		return b, nil
	}
	var err error
	b.Tickets, err = bookedTickets(r, bk)
	for _, t := range b.Tickets {
		b.Total += t.Price
	}
	return b, err
}

// bookedTickets returns the booking's tickets in seat index order, with their statuses.
func bookedTickets(r runner, bk bookingRow) ([]ledger.BookedTicket, error) {
	rows, err := r.rows(`SELECT s.section, s.number, s.letter, `+typeSQL+`, CASE WHEN t.owner IS NULL THEN 0 ELSE 1 END, t.checked_in_at
		FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
		WHERE t.booking = ? AND t.booking <> 0 ORDER BY t.idx`, bk.id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ledger.BookedTicket{}
	for rows.Next() {
		var t ledger.BookedTicket
		var sold, checkedIn int64
		if err := rows.Scan(&t.Seat.Section, &t.Seat.Number, &t.Seat.Letter, &t.Type, &t.Price, &sold, &checkedIn); err != nil {
			return nil, err
		}
		t.Status = ledger.TicketReserved
		if sold != 0 {
			t.Status = ledger.TicketIssued
		}
		if checkedIn != 0 {
			t.Status = ledger.TicketCheckedIn
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
