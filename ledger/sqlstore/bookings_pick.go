package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Best available. HoldBest reads the free seats the pick may choose from, chooses by
// ledger.BestSeats and takes each with the hold's own conditional update, all in one
// write: on SQLite the single writer orders it, on PostgreSQL the contract's pick lock
// orders the picks (each sees what the one before it took), and a hold of a named seat
// that slipped in between makes the write run again (errChanged). A seat is never held
// twice, and a standing section never gives more places than its capacity: a place is a
// seat row.

// pickCandidate is a free seat a pick may take: its index, seat and base price, and the
// booking whose hold on it has passed (0 when it is simply available).
type pickCandidate struct {
	idx     int
	seat    ledger.Seat
	price   int64
	booking int64
}

// HoldBest chooses the seats the pick asks for and holds them for the booking in one
// transaction: best available in a seated part of the sale, the first free places in a
// standing section. EREFUSED saying how many remain when too few are free; ENOTFOUND
// when the contract has no such section or the sale no such price level.
func (s *Bookings) HoldBest(ctx context.Context, id int64, p ledger.Pick) (ledger.BookingReceipt, error) {
	if err := p.Validate(); err != nil {
		return ledger.BookingReceipt{}, err
	}
	var out ledger.BookingReceipt
	err := s.onBooking(ctx, "holding the best seats", id, func(w *wtx, c ledger.Contract) error {
		if w.d.pickLockSQL != nil {
			if _, err := w.exec(w.d.pickLockSQL(c.Address)); err != nil {
				return err
			}
		}
		bk, err := openForHold(w, c, id)
		if err != nil {
			return err
		}
		chosen, err := pickSeats(w, bk, p)
		if err != nil {
			return err
		}
		eff := heldEffect(bk, len(chosen))
		for i, cand := range chosen {
			if eff.Tickets[i], err = takePicked(w, bk, cand); err != nil {
				return err
			}
			if eff.Tickets[i], err = holdAsType(w, bk, eff.Tickets[i], p.Type); err != nil {
				return err
			}
		}
		out, err = journalBooking(w, ledger.TxTicketsHeld, bk, eff)
		return err
	})
	return out, err
}

// pickSeats reads the seats the pick may choose from and chooses, in seat order: the
// refusal when too few are free.
func pickSeats(w *wtx, bk bookingRow, p ledger.Pick) ([]pickCandidate, error) {
	standing, err := standingSection(w, bk.contract, p.Section)
	if err != nil {
		return nil, err
	}
	free, err := pickCandidates(w, bk, p, standing)
	if err == nil {
		free, err = offeredTo(w, bk, p, free)
	}
	if err != nil {
		return nil, err
	}
	if len(free) < p.Quantity {
		return nil, tooFew(w, bk, p, standing, len(free))
	}
	seats := make([]ledger.Seat, len(free))
	for i, c := range free {
		seats[i] = c.seat
	}
	positions := ledger.BestSeats(seats, p.Quantity)
	chosen := make([]pickCandidate, len(positions))
	for i, at := range positions {
		chosen[i] = free[at]
	}
	return chosen, nil
}

// pickCandidatesSQL reads the free seats of a sale, in seat order: neither sold nor held,
// or held by a booking whose hold has passed; within an index range, in a section (” for
// any) and at a base price (0 for any).
const pickCandidatesSQL = `SELECT t.idx, s.section, s.number, s.letter, t.price, t.booking FROM tickets t
	JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
	WHERE t.contract = ? AND t.sale = ? AND t.owner IS NULL AND t.idx >= ? AND t.idx < ?
	AND (t.booking = 0 OR EXISTS (SELECT 1 FROM bookings b WHERE b.id = t.booking AND b.state = 'open'
		AND b.expires_at <> 0 AND b.expires_at <= ?))
	AND (CAST(? AS TEXT) = '' OR s.section = ?) AND (CAST(? AS BIGINT) = 0 OR t.price = ?)
	ORDER BY t.idx LIMIT ?`

// pickCandidates reads the seats the pick may choose from: in a standing section only
// the first free places it asks for (any places will do), elsewhere every free seat,
// within the range of seat indexes the section spans (the seats index finds it).
func pickCandidates(w *wtx, bk bookingRow, p ledger.Pick, standing *standingRow) ([]pickCandidate, error) {
	from, to, limit := 0, ledger.MaxContractSeats, ledger.MaxContractSeats
	switch {
	case standing != nil:
		from, to, limit = standing.first, standing.first+standing.capacity, p.Quantity
	case p.Section != "":
		var first, last sql.NullInt64
		if err := w.row(`SELECT MIN(idx), MAX(idx) FROM seats WHERE contract = ? AND section = ?`, bk.contract, p.Section).
			Scan(&first, &last); err != nil || !first.Valid {
			return nil, err
		}
		from, to = int(first.Int64), int(last.Int64)+1
	}
	rows, err := w.rows(pickCandidatesSQL, bk.contract, bk.sale, from, to, w.now.UnixNano(),
		p.Section, p.Section, p.PriceLevel, p.PriceLevel, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pickCandidate
	for rows.Next() {
		var c pickCandidate
		if err := rows.Scan(&c.idx, &c.seat.Section, &c.seat.Number, &c.seat.Letter, &c.price, &c.booking); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// tooFew words why the pick cannot be had: ENOTFOUND for a section the contract lacks
// or a price level the sale lacks there, otherwise EREFUSED saying how many remain.
func tooFew(w *wtx, bk bookingRow, p ledger.Pick, standing *standingRow, remain int) error {
	if p.Section != "" && standing == nil {
		var n int
		if err := w.row(`SELECT COUNT(*) FROM (SELECT 1 FROM seats WHERE contract = ? AND section = ? LIMIT 1) x`,
			bk.contract, p.Section).Scan(&n); err != nil || n == 0 {
			return errors.Join(err, ledger.Errorf(ledger.ENOTFOUND, "This contract has no section %q", p.Section))
		}
	}
	if p.PriceLevel != 0 {
		var n int
		if err := w.row(`SELECT COUNT(*) FROM (SELECT 1 FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
			WHERE t.contract = ? AND t.sale = ? AND t.price = ? AND (CAST(? AS TEXT) = '' OR s.section = ?) LIMIT 1) x`,
			bk.contract, bk.sale, p.PriceLevel, p.Section, p.Section).Scan(&n); err != nil || n == 0 {
			return errors.Join(err, ledger.Errorf(ledger.ENOTFOUND, "This sale has no seats %s", p.Where()))
		}
	}
	return ledger.Errorf(ledger.EREFUSED, "%s: %d were asked for", remaining(remain, standing != nil, p.Where()), p.Quantity)
}

// remaining words how many seats (or places, in a standing section) remain where.
func remaining(n int, standing bool, where string) string {
	what := "seats"
	if standing {
		what = "places"
	}
	switch n {
	case 0:
		return fmt.Sprintf("No %s remain %s", what, where)
	case 1:
		return fmt.Sprintf("Only 1 %s remains %s", what[:len(what)-1], where)
	}
	return fmt.Sprintf("Only %d %s remain %s", n, what, where)
}

// takePicked holds one chosen seat for the booking; a seat whose booking's hold has
// passed is taken once that booking's expiry is journaled. A seat taken since it was
// chosen (a hold of that seat by name, on PostgreSQL) makes the pick run again.
func takePicked(w *wtx, bk bookingRow, c pickCandidate) (ledger.HeldTicket, error) {
	ht, err := takeHold(w, bk, c.seat)
	if !errors.Is(err, errNotTaken) {
		return ht, err
	}
	if err := w.aboveMark(); err != nil {
		return ht, err
	}
	if c.booking != 0 {
		if _, err := expireBooking(w, bookingRow{id: c.booking, contract: bk.contract, sale: bk.sale}); err != nil {
			return ht, err
		}
		ht, err = takeHold(w, bk, c.seat)
	}
	if errors.Is(err, errNotTaken) {
		return ht, errChanged
	}
	return ht, err
}
