package sqlstore

import (
	"context"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// expireBatch is how many bookings one transaction of ExpireHolds expires.
const expireBatch = 100

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
		batch := sameContract(due, expireBatch)
		due = due[len(batch):]
		n := 0
		err := s.update(ctx, "expiring holds", ledger.Actor{Admin: true}, batch[0].contract, lockShared, func(w *wtx) error {
			n = 0 // the write may run again
			for _, bk := range batch {
				ok, err := expireBooking(w, bk)
				if err != nil {
					return err
				}
				if ok {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return expired, err
		}
		expired += n
	}
	return expired, nil
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
