package sqlstore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// expireBatch is how many bookings one transaction of ExpireHolds expires: a short
// write, so that a rush of holds going on meanwhile waits little for it (on SQLite it
// shares a group commit with them).
const expireBatch = 500

// expireChunkSize is how many bookings a chunk takes: expireBatch, or fewer in tests that
// need several chunks from few bookings (the statements keep expireBatch slots).
var expireChunkSize = expireBatch

// expireSlots is the list of expireBatch placeholders the chunk's statements name
// their bookings by; chunks of fewer bookings fill it with -1, no booking's id, so each
// statement has one text and stays prepared.
var expireSlots = strings.TrimSuffix(strings.Repeat("?, ", expireBatch), ", ")

// ExpireHolds expires up to limit open bookings whose hold has passed, returning their
// seats to the pool and journaling each expiry (TxHoldExpired), in transactions of up
// to expireBatch bookings of one contract. It acts as the administrator; `serve` runs it
// periodically. It returns how many bookings it expired.
func (s *Bookings) ExpireHolds(ctx context.Context, limit int) (int, error) {
	due, err := s.dueBookings(ctx, limit)
	if err != nil {
		return 0, s.internal("finding expired holds", err)
	}
	expired := 0
	for len(due) > 0 {
		batch := sameContract(due, expireChunkSize)
		due = due[len(batch):]
		n := 0
		err := s.update(ctx, "expiring holds", ledger.Actor{Admin: true}, batch[0].contract, lockShared, func(w *wtx) (err error) {
			n, err = expireChunk(w, batch)
			return err
		})
		if err != nil {
			return expired, err
		}
		expired += n
	}
	return expired, nil
}

// expireChunk expires those of the bookings (at most expireBatch, all of one contract)
// that are still open with their hold passed at the write's time, as expireBooking does
// one by one, in three statements for the whole chunk: the bookings' rows, a read of
// their held seats, the seats back in the pool. Then it journals each booking's expiry
// (TxHoldExpired with its seats), as expireBooking does. It returns how many it expired.
func expireChunk(w *wtx, chunk []bookingRow) (int, error) {
	// state || '': SQLite would otherwise walk bookings_expiry over every booking due
	// (open, expires_at <= now) rather than look up the chunk's ids, and a sweep of
	// 100,000 would take minutes instead of seconds.
	ids, err := w.int64s(`UPDATE bookings SET state = 'expired' WHERE id IN (`+expireSlots+`)
		AND state || '' = 'open' AND expires_at <> 0 AND expires_at <= ? RETURNING id`, append(padIDs(chunk), w.now.UnixNano())...)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	slices.Sort(ids)
	expired := make([]bookingRow, len(ids))
	for i, id := range ids {
		expired[i] = chunk[slices.IndexFunc(chunk, func(bk bookingRow) bool { return bk.id == id })]
	}
	held, n, err := heldSeatsOfAll(w.runner, padIDs(expired))
	if err != nil {
		return 0, err
	}
	res, err := w.exec(`UPDATE tickets SET booking = 0, format = 'PDF' WHERE booking IN (`+expireSlots+`) AND booking <> 0 AND owner IS NULL`, padIDs(expired)...)
	if err != nil {
		return 0, err
	}
	if got, err := res.RowsAffected(); err != nil || got != int64(n) {
		return 0, errors.Join(err, errChanged)
	}
	for _, bk := range expired {
		eff := ledger.BookingSeatsEffect{Sale: bk.sale, Booking: bk.id, Tickets: held[bk.id]}
		if eff.Tickets == nil {
			eff.Tickets = []ledger.HeldTicket{}
		}
		if _, err := w.journal(ledger.TxHoldExpired, bk.contract, eff); err != nil {
			return 0, err
		}
	}
	return len(expired), nil
}

// padIDs returns the bookings' ids as the arguments of expireSlots: expireBatch of them,
// -1 after the bookings'.
func padIDs(bks []bookingRow) []any {
	args := make([]any, expireBatch)
	for i := range args {
		args[i] = int64(-1)
		if i < len(bks) {
			args[i] = bks[i].id
		}
	}
	return args
}

// heldSeatsOfAll returns the seats each of the bookings named by ids (expireSlots's
// arguments) holds (not issued), in seat index order, and how many there are in all.
func heldSeatsOfAll(r runner, ids []any) (map[int64][]ledger.HeldTicket, int, error) {
	rows, err := r.rows(`SELECT t.booking, t.idx, t.price, s.section, s.number, s.letter FROM tickets t
		JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
		WHERE t.booking IN (`+expireSlots+`) AND t.booking <> 0 AND t.owner IS NULL ORDER BY t.booking, t.idx`, ids...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	held, n := map[int64][]ledger.HeldTicket{}, 0
	for rows.Next() {
		var id int64
		var h ledger.HeldTicket
		if err := rows.Scan(&id, &h.Index, &h.Price, &h.Seat.Section, &h.Seat.Number, &h.Seat.Letter); err != nil {
			return nil, 0, err
		}
		held[id] = append(held[id], h)
		n++
	}
	return held, n, rows.Err()
}

// sameContract returns the first bookings of due (at most n) of due[0]'s contract.
func sameContract(due []bookingRow, n int) []bookingRow {
	i := 1
	for i < len(due) && i < n && due[i].contract == due[0].contract {
		i++
	}
	return due[:i]
}

// dueBookings returns up to limit open bookings whose hold has passed, by contract.
func (s *Bookings) dueBookings(ctx context.Context, limit int) ([]bookingRow, error) {
	rows, err := s.reader(ctx).rows(`SELECT id, contract, sale FROM bookings WHERE state = 'open' AND expires_at <> 0 AND expires_at <= ?
		ORDER BY contract, expires_at LIMIT ?`, s.now().UnixNano(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var due []bookingRow
	for rows.Next() {
		bk := bookingRow{state: ledger.BookingOpen}
		if err := rows.Scan(&bk.id, &bk.contract, &bk.sale); err != nil {
			return nil, err
		}
		due = append(due, bk)
	}
	return due, rows.Err()
}

// sweepLimit is how many expired bookings one sweep of ExpireHoldsEvery expires before
// it looks again.
const sweepLimit = 10000

// ExpireHoldsEvery runs ExpireHolds every interval until ctx is done: the sweeper that
// `serve` runs, so that seats held by bookings nobody confirmed return to the pool and
// their expiry is journaled even when nobody asks for them. A sweep that found a full
// batch sweeps again at once. Its errors are logged by ExpireHolds.
func (s *Bookings) ExpireHoldsEvery(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for ctx.Err() == nil {
			if n, err := s.ExpireHolds(ctx, sweepLimit); err != nil || n < sweepLimit {
				break
			}
		}
	}
}
