package sqlstore

import (
	"context"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// NumberPlaceholders lets tests run their own SQL on either engine.
var NumberPlaceholders = numberPlaceholders

// WritesPerCommit returns the mean number of writes in SQLite's group commits (0 on
// PostgreSQL, which commits each write alone).
func WritesPerCommit(s *Store) float64 {
	if s.db.batch == nil || s.db.batch.batches.Load() == 0 {
		return 0
	}
	return float64(s.db.batch.writes.Load()) / float64(s.db.batch.batches.Load())
}

// Pipelined returns how many reservations PostgreSQL's two-round-trip path committed.
func Pipelined(s *Store) int64 { return s.Selling.pipelined.Load() }

// ReserveGroup runs the orders, with their contexts, on the contracts at addresses and
// for the actors, as one pipelined group commit (PostgreSQL). For each it reports whether
// the group answered it, and the refusal when it did not sell; the others would run as
// ordinary writes.
func ReserveGroup(s *Store, ctxs []context.Context, actors []ledger.Actor, addresses []string, orders []ledger.Order) ([]bool, []error) {
	group := make([]*reservation, len(orders))
	for i := range orders {
		group[i] = &reservation{ctx: ctxs[i], actor: actors[i], address: addresses[i], order: orders[i]}
	}
	s.Selling.commitReservations(group)
	done, errs := make([]bool, len(group)), make([]error, len(group))
	for i, r := range group {
		done[i], errs[i] = r.done, r.err
	}
	return done, errs
}

// BatchReruns returns how many of SQLite's group commits ran again with savepoints
// because a write failed (0 on PostgreSQL).
func BatchReruns(s *Store) int64 {
	if s.db.batch == nil {
		return 0
	}
	return s.db.batch.reruns.Load()
}

// ExplainTicketList returns the query plan of one page of a sale's ticket list.
func ExplainTicketList(s *Store, address string, sale int64, offset, limit int) (string, error) {
	tickets, err := Explain(s, saleTicketsSQL, address, sale, offset, offset+limit)
	if err != nil {
		return "", err
	}
	seats, err := Explain(s, `SELECT section, number, letter FROM seats WHERE contract = ? AND idx >= ? AND idx < ? ORDER BY idx`,
		address, offset, offset+limit)
	return tickets + "\n" + seats, err
}

// Explain returns the query plan of q.
func Explain(s *Store, q string, args ...any) (string, error) {
	rows, err := s.db.reader(context.Background()).rows(`EXPLAIN `+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		plan = append(plan, line)
	}
	return strings.Join(plan, "\n"), rows.Err()
}

// SetExpireChunk makes the sweeper's chunks n bookings long (at most expireBatch) until
// the returned function restores them.
func SetExpireChunk(n int) (restore func()) {
	old := expireChunkSize
	expireChunkSize = min(n, expireBatch)
	return func() { expireChunkSize = old }
}
