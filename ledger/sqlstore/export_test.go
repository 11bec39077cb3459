package sqlstore

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// NumberPlaceholders lets tests run their own SQL on either engine.
var NumberPlaceholders = numberPlaceholders

// WritesPerCommit returns the mean number of writes in SQLite's group commits (0 on
// PostgreSQL, which commits each write alone).
func WritesPerCommit(s *Store) float64 {
	if s.batch == nil || s.batch.batches.Load() == 0 {
		return 0
	}
	return float64(s.batch.writes.Load()) / float64(s.batch.batches.Load())
}

// Pipelined returns how many reservations PostgreSQL's two-round-trip path committed.
func Pipelined(s *Store) int64 { return s.pipelined.Load() }

// ReserveGroup runs the orders, with their contexts, on the contracts at addresses and
// for the actors, as one pipelined group commit (PostgreSQL). For each it reports whether
// the group answered it, and the refusal when it did not sell; the others would run as
// ordinary writes.
func ReserveGroup(s *Store, ctxs []context.Context, actors []ledger.Actor, addresses []string, orders []ledger.Order) ([]bool, []error) {
	group := make([]*reservation, len(orders))
	for i := range orders {
		group[i] = &reservation{ctx: ctxs[i], actor: actors[i], address: addresses[i], order: orders[i]}
	}
	s.commitReservations(group)
	done, errs := make([]bool, len(group)), make([]error, len(group))
	for i, r := range group {
		done[i], errs[i] = r.done, r.err
	}
	return done, errs
}

// BatchReruns returns how many of SQLite's group commits ran again with savepoints
// because a write failed (0 on PostgreSQL).
func BatchReruns(s *Store) int64 {
	if s.batch == nil {
		return 0
	}
	return s.batch.reruns.Load()
}
