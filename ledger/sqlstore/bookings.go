package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Bookings keeps customers' bookings (ledger.Bookings). A held seat is a ticket row of
// no owner that names its booking: the outright sale's conditional update (takeSQL)
// takes only rows of booking 0, and a hold takes only available rows, so a seat is never
// held and sold, or held twice. A booking's hold expires as a whole. The race between
// its confirmation and its expiry is decided on the booking's row: confirming needs
// state open and expires_at after now, expiring state open and expires_at at or before
// now, each a conditional update of that row, so exactly one of them changes it.
type Bookings struct {
	*db
	holders holderKey
	// places remembers the contract of each booking looked up, so holds, frees and
	// confirms find the contract to lock without a read of their own.
	places bookingPlaces
}

var _ ledger.Bookings = (*Bookings)(nil)

// bookingRow is a booking's row: the booking's contract and sale, its customer, its
// expiry (unix nanoseconds, 0 before its first hold) and its tickets' format.
type bookingRow struct {
	id, sale, customer, expires int64
	contract, state, format     string
}

// NewBooking opens an empty booking of PDF tickets for the customer on the contract's
// open sale (see OpenBooking).
func (s *Bookings) NewBooking(ctx context.Context, address string, customer int64) (ledger.Booking, error) {
	return s.OpenBooking(ctx, ledger.BookingRequest{Contract: address, Customer: customer})
}

// OpenBooking opens an empty booking for r's customer on its contract's open sale, its
// tickets in r's format: a customer the actor may see (ENOTFOUND otherwise), not erased
// (EREFUSED); EINVALID for a format other than PDF or SECURE.
func (s *Bookings) OpenBooking(ctx context.Context, r ledger.BookingRequest) (ledger.Booking, error) {
	address, customer := r.Contract, r.Customer
	if customer <= 0 {
		return ledger.Booking{}, ledger.Errorf(ledger.EINVALID, "Customer id must be a positive number")
	}
	format, err := ledger.ParseTicketFormat(r.Format)
	if err != nil {
		return ledger.Booking{}, err
	}
	var b ledger.Booking
	err = s.writeContract(ctx, "opening a booking", address, asSeller, func(w *wtx, c ledger.Contract) error {
		if !ledger.SaleOpen(c, w.height) {
			return ledger.Errorf(ledger.ECONFLICT, "Sale is not currently open")
		}
		if err := bookable(w, customer); err != nil {
			return err
		}
		b = ledger.Booking{Customer: customer, Contract: address, Sale: c.Sale.Number, State: ledger.BookingOpen,
			Format: format, Tickets: []ledger.BookedTicket{}}
		return w.row(`INSERT INTO bookings (id, contract, sale, customer, state, format, created_by, created_at)
			VALUES (`+s.d.nextBookingID+`, ?, ?, ?, 'open', ?, ?, ?) RETURNING id`,
			address, c.Sale.Number, customer, format, w.actor.ID(), w.now.UnixNano()).Scan(&b.ID)
	})
	if err == nil {
		s.places.remember(b.ID, address)
	}
	return b, err
}

// bookable returns nil for a customer the actor may see (ENOTFOUND otherwise) who was
// not erased (EREFUSED); it reads only the two columns that decide it.
func bookable(w *wtx, customer int64) error {
	var createdBy string
	var erased int64
	err := w.row(`SELECT created_by, erased FROM customers WHERE id = ?`, customer).Scan(&createdBy, &erased)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !ledger.MaySeeCustomer(w.actor, createdBy) {
		return ledger.Errorf(ledger.ENOTFOUND, "No customer with id %d", customer)
	}
	if err == nil && erased != 0 {
		return ledger.Errorf(ledger.EREFUSED, "Customer %d was erased and cannot book", customer)
	}
	return err
}

// onBooking runs fn as one selling write on the contract of the booking.
func (s *Bookings) onBooking(ctx context.Context, what string, id int64, fn func(*wtx, ledger.Contract) error) error {
	if err := ledger.ValidateBookingID(id); err != nil {
		return err
	}
	address, err := s.bookingContract(ctx, id)
	if err != nil {
		return s.internal(what, err)
	}
	return s.writeContract(ctx, what, address, asSeller, fn)
}

// bookingContract returns the address of the booking's contract: remembered, or read and
// then remembered (a booking never changes its contract).
func (s *Bookings) bookingContract(ctx context.Context, id int64) (string, error) {
	if address, ok := s.places.lookup(id); ok {
		return address, nil
	}
	var address string
	err := s.reader(ctx).row(`SELECT contract FROM bookings WHERE id = ?`, id).Scan(&address)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNoBooking(id)
	}
	if err == nil {
		s.places.remember(id, address)
	}
	return address, err
}

func errNoBooking(id int64) error { return ledger.Errorf(ledger.ENOTFOUND, "No booking %d", id) }

// Hold takes the items' seats out of the pool for the booking, all or nothing, in seat
// order, each as its item's ticket type (holdAsType). A seat held by a booking whose hold
// has passed is taken too, once that booking's expiry is journaled. The booking's hold
// runs from its first hold for the sale's hold time.
func (s *Bookings) Hold(ctx context.Context, id int64, items []ledger.HoldItem) (ledger.BookingReceipt, error) {
	if err := ledger.ValidateHold(items); err != nil {
		return ledger.BookingReceipt{}, err
	}
	var out ledger.BookingReceipt
	err := s.onBooking(ctx, "holding seats", id, func(w *wtx, c ledger.Contract) error {
		bk, err := openForHold(w, c, id)
		if err != nil {
			return err
		}
		eff := heldEffect(bk, len(items))
		for _, i := range seatOrder(sealedSeats(ledger.HeldSeats(items))) {
			if eff.Tickets[i], err = holdSeat(w, bk, items[i].Seat); err != nil {
				return err
			}
			if eff.Tickets[i], err = holdAsType(w, bk, eff.Tickets[i], items[i].Type); err != nil {
				return err
			}
		}
		out, err = journalBooking(w, ledger.TxTicketsHeld, bk, eff)
		return err
	})
	return out, err
}

// openForHold locks the open booking for a hold on the contract's open sale, starting its
// hold if this is its first: ECONFLICT when the sale is not open or the booking is for
// an earlier sale, the booking's refusal when it is not open.
func openForHold(w *wtx, c ledger.Contract, id int64) (bookingRow, error) {
	if !ledger.SaleOpen(c, w.height) {
		return bookingRow{}, ledger.Errorf(ledger.ECONFLICT, "Sale is not currently open")
	}
	bk, err := lockOpen(w, id, w.now.Add(c.Sale.Details.HoldDuration()).UnixNano())
	if err != nil {
		return bk, err
	}
	if bk.sale != c.Sale.Number {
		return bk, ledger.Errorf(ledger.ECONFLICT, "Booking %d is for a sale that has ended", id)
	}
	return bk, nil
}

// heldEffect is the journal's record of n seats held for the booking, to be filled in.
func heldEffect(bk bookingRow, n int) ledger.TicketsHeldEffect {
	eff := ledger.TicketsHeldEffect{Sale: bk.sale, Booking: bk.id, Expires: bk.expires, Tickets: make([]ledger.HeldTicket, n)}
	if bk.format != ledger.FormatPDF {
		eff.Format = bk.format
	}
	return eff
}

// journalBooking journals the booking's change and returns it with the booking as it now
// is: bk, its row as the write left it, and its tickets read anew.
func journalBooking(w *wtx, kind string, bk bookingRow, eff any) (ledger.BookingReceipt, error) {
	rc, err := w.journal(kind, bk.contract, eff)
	if err != nil {
		return ledger.BookingReceipt{}, err
	}
	b, err := bookingOf(w.runner, bk, w.now)
	return ledger.BookingReceipt{Receipt: rc, Booking: b}, err
}

// sealedSeats are the seats as tickets without sealing, for seatOrder.
func sealedSeats(seats []ledger.Seat) []ledger.SealedTicket {
	out := make([]ledger.SealedTicket, len(seats))
	for i, s := range seats {
		out[i].Seat = s
	}
	return out
}

// lockOpen locks the row of an open booking whose hold has not passed, setting its expiry
// to firstExpiry if it had none (0 leaves it), and returns it; otherwise the refusal.
func lockOpen(w *wtx, id, firstExpiry int64) (bookingRow, error) {
	bk := bookingRow{id: id, state: ledger.BookingOpen}
	err := w.row(`UPDATE bookings SET expires_at = CASE WHEN expires_at = 0 THEN CAST(? AS BIGINT) ELSE expires_at END
		WHERE id = ? AND state = 'open' AND (expires_at = 0 OR expires_at > ?)
		RETURNING contract, sale, customer, expires_at, format`, firstExpiry, id, w.now.UnixNano()).
		Scan(&bk.contract, &bk.sale, &bk.customer, &bk.expires, &bk.format)
	if errors.Is(err, sql.ErrNoRows) {
		return bk, refusal(w, id)
	}
	return bk, err
}

// refusal words why the booking is not open for a change: unknown, confirmed,
// cancelled, or expired.
func refusal(w *wtx, id int64) error {
	bk, err := readBookingRow(w.runner, id)
	if err != nil {
		return err
	}
	return ledger.BookingRefusal(ledger.Booking{ID: id, State: bookingState(bk, w.now), Expires: time.Unix(0, bk.expires)})
}

// bookingState is the booking's state at now: an open booking whose hold has passed is
// expired, before the sweeper or the next hold records it.
func bookingState(bk bookingRow, now time.Time) string {
	if bk.state == ledger.BookingOpen && bk.expires != 0 && bk.expires <= now.UnixNano() {
		return ledger.BookingExpired
	}
	return bk.state
}

func readBookingRow(r runner, id int64) (bookingRow, error) {
	bk := bookingRow{id: id}
	err := r.row(`SELECT contract, sale, customer, state, expires_at, format FROM bookings WHERE id = ?`, id).
		Scan(&bk.contract, &bk.sale, &bk.customer, &bk.state, &bk.expires, &bk.format)
	if errors.Is(err, sql.ErrNoRows) {
		return bk, errNoBooking(id)
	}
	return bk, err
}

// holdSQL takes one available seat for a booking, in the booking's ticket format: the
// same conditions as takeSQL's, in the booking's sale, and above the closed mark.
const holdSQL = `UPDATE tickets SET booking = ?, format = ?
	WHERE contract = ? AND owner IS NULL AND booking = 0 AND sale = ?
	AND idx = (SELECT idx FROM seats WHERE contract = ? AND section = ? AND number = ? AND letter = ?)
	AND (SELECT closed FROM seal_mark WHERE id = 1) <= ?
	RETURNING idx, price`

// holdSeat holds one seat for the booking: "Invalid seat" for a seat the contract lacks,
// "not available" for a sold or held one, unless its booking's hold has passed: that
// booking then expires first.
func holdSeat(w *wtx, bk bookingRow, seat ledger.Seat) (ledger.HeldTicket, error) {
	ht, err := takeHold(w, bk, seat)
	if !errors.Is(err, errNotTaken) {
		return ht, err
	}
	if err := w.aboveMark(); err != nil {
		return ht, err
	}
	reclaimed, err := reclaimSeat(w, bk.contract, bk.sale, seat)
	if err != nil || !reclaimed {
		return ht, cmp.Or(err, errNotAvailable(seat))
	}
	if ht, err = takeHold(w, bk, seat); errors.Is(err, errNotTaken) {
		return ht, errChanged
	}
	return ht, err
}

// reclaimSeat expires the open booking of the sale that holds the seat when its hold has
// passed, journaling the expiry, so that the caller's next conditional update can take
// the seat (lazily, before the sweeper comes by). It reports false when no such booking
// holds it, and "Invalid seat" for a seat the contract lacks.
func reclaimSeat(w *wtx, contract string, sale int64, seat ledger.Seat) (bool, error) {
	idx, err := seatIndex(w, contract, seat)
	if err != nil {
		return false, err
	}
	other, err := expiredHolder(w, bookingRow{contract: contract, sale: sale}, idx)
	if err != nil || other.id == 0 {
		return false, err
	}
	_, err = expireBooking(w, other)
	return err == nil, err
}

func takeHold(w *wtx, bk bookingRow, seat ledger.Seat) (ledger.HeldTicket, error) {
	ht := ledger.HeldTicket{Seat: seat}
	err := w.row(holdSQL, bk.id, bk.format, bk.contract, bk.sale, bk.contract, seat.Section, seat.Number, seat.Letter, w.height).
		Scan(&ht.Index, &ht.Price)
	if errors.Is(err, sql.ErrNoRows) {
		return ht, errNotTaken
	}
	return ht, err
}

// expiredHolder returns the open booking holding the seat at idx whose hold has passed;
// id 0 when there is none.
func expiredHolder(w *wtx, bk bookingRow, idx int) (bookingRow, error) {
	other := bookingRow{contract: bk.contract, sale: bk.sale}
	err := w.row(`SELECT b.id FROM tickets t JOIN bookings b ON b.id = t.booking
		WHERE t.contract = ? AND t.sale = ? AND t.idx = ? AND t.owner IS NULL AND b.state = 'open' AND b.expires_at <= ?`,
		bk.contract, bk.sale, idx, w.now.UnixNano()).Scan(&other.id)
	if errors.Is(err, sql.ErrNoRows) {
		return other, nil
	}
	return other, err
}

// expireBooking records that the open booking's hold has passed and returns its seats
// to the pool, journaled as TxHoldExpired. It reports false, changing nothing, when the
// booking is no longer open or its hold has not passed at the write's time.
func expireBooking(w *wtx, bk bookingRow) (bool, error) {
	res, err := w.exec(`UPDATE bookings SET state = 'expired' WHERE id = ? AND state = 'open' AND expires_at <> 0 AND expires_at <= ?`,
		bk.id, w.now.UnixNano())
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	return true, returnSeats(w, ledger.TxHoldExpired, bk)
}

// returnSeats gives every seat the booking holds back to the pool and journals it as kind.
func returnSeats(w *wtx, kind string, bk bookingRow) error {
	held, err := heldSeats(w.runner, bk)
	if err != nil {
		return err
	}
	res, err := w.exec(`UPDATE tickets SET booking = 0, format = 'PDF', ticket_type = '', type_price = 0 WHERE booking = ? AND booking <> 0 AND owner IS NULL`, bk.id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(held)) {
		return errors.Join(err, errChanged)
	}
	_, err = w.journal(kind, bk.contract, ledger.BookingSeatsEffect{Sale: bk.sale, Booking: bk.id, Tickets: held})
	return err
}

// heldSeats returns the seats the booking holds (not issued), in seat index order, with
// their ticket types and prices.
func heldSeats(r runner, bk bookingRow) ([]ledger.HeldTicket, error) {
	rows, err := r.rows(`SELECT t.idx, `+typeSQL+`, s.section, s.number, s.letter FROM tickets t
		JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
		WHERE t.booking = ? AND t.booking <> 0 AND t.owner IS NULL ORDER BY t.idx`, bk.id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	held := []ledger.HeldTicket{}
	for rows.Next() {
		var h ledger.HeldTicket
		if err := rows.Scan(&h.Index, &h.Type, &h.Price, &h.Seat.Section, &h.Seat.Number, &h.Seat.Letter); err != nil {
			return nil, err
		}
		held = append(held, h)
	}
	return held, rows.Err()
}
