package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestExpireHoldsInChunks: the sweeper expires more bookings than one chunk holds
// (chunks made 100 bookings long here) in chunks: every booking whose hold passed, including one holding two
// SECURE seats and one that freed its only seat, journaled one by one, the seats PDF
// again; a confirmed booking and
// one whose hold still runs keep their seats; afterwards the journal replays.
func TestExpireHoldsInChunks(t *testing.T) {
	defer sqlstore.SetExpireChunk(100)()
	var seats []string
	for row := 1; row <= 21; row++ {
		for _, letter := range "ABCDEFGHIJ" {
			seats = append(seats, fmt.Sprintf("%d%c", row, letter))
		}
	}
	b := openBookings(t, 5*time.Minute, seats...)
	due := 0
	for _, s := range seats[:203] {
		b.book(t, s)
		due++
	}
	secure, err := b.store.Bookings.OpenBooking(b.org, ledger.BookingRequest{Contract: b.contract, Customer: b.customer(t), Format: "SECURE"})
	mustNil(t, err, "OpenBooking")
	_, err = b.store.Bookings.Hold(b.org, secure.ID, ledger.HoldSeats("", parseSeats(t, seats[203], seats[204])...))
	mustNil(t, err, "Hold")
	freed := b.book(t, seats[205])
	_, err = b.store.Bookings.Free(b.org, freed.ID, parseSeats(t, seats[205])[0])
	mustNil(t, err, "Free")
	confirmed := b.book(t, seats[206])
	_, err = b.store.Bookings.Confirm(b.org, confirmed.ID, confirmOrder(t, confirmed, seats[206]))
	mustNil(t, err, "Confirm")
	due += 2
	b.clock.Advance(5 * time.Minute)
	running := b.book(t, seats[207])
	n, err := b.store.Bookings.ExpireHolds(context.Background(), 1000)
	if err != nil || n != due {
		t.Fatalf("ExpireHolds = %d, %v; want %d", n, err, due)
	}
	var held, expiries int
	raw := b.rawDB(t)
	mustNil(t, raw.QueryRow(`SELECT COUNT(*) FROM tickets WHERE booking <> 0 AND owner IS NULL`).Scan(&held), "count held")
	mustNil(t, raw.QueryRow(`SELECT COUNT(*) FROM journal WHERE kind = ?`, ledger.TxHoldExpired).Scan(&expiries), "count expiries")
	if held != 1 || expiries != due {
		t.Errorf("%d seats still held, %d expiries journaled; want 1 (booking %d) and %d", held, expiries, running.ID, due)
	}
	for id, want := range map[int64]string{freed.ID: ledger.BookingExpired, confirmed.ID: ledger.BookingConfirmed, running.ID: ledger.BookingOpen} {
		got, err := b.store.Bookings.Booking(b.org, id)
		mustNil(t, err, "Booking")
		if got.State != want {
			t.Errorf("booking %d is %s, want %s", id, got.State, want)
		}
	}
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}
