package rush_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// standing is the general-admission section of the capacity rush: far fewer places
// than its buyers ask for.
var standing = ledger.StandingSection{Section: "Standing", Capacity: 40}

// TestStandingRush is the general-admission capacity rush: 24 buyers race through three
// servers on one database for the 40 places of a standing section, each asking 25 times
// for one to four places by quantity (the store picks them) and then confirming,
// cancelling or walking away (the hold expires), or releasing a confirmed place. Then
// the shop rush's checks (the journal replayed place by place, every answer matched,
// every confirmed place paid, tables, public list and `ledger verify`), and: at no point
// of the journal were more places taken than the capacity, the section was full at
// least once, picks were refused for want of places, and every pick that succeeded got
// exactly the quantity asked for, places of the section. On SQLite and PostgreSQL.
func TestStandingRush(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { standingRush(t, filepath.Join(t.TempDir(), "standing.db"), false) })
	t.Run("postgres", func(t *testing.T) { standingRush(t, pgtest.Database(t), true) })
}

func standingRush(t *testing.T, db string, postgres bool) {
	e := openShop(t, db, postgres, []ledger.StandingSection{standing})
	told, tally := e.rush(t, (*shopBuyer).actStanding)
	if t.Failed() {
		return
	}
	e.settle(t)
	r := checkShop(t, e, told, tally, ledger.TxTicketsHeld, ledger.TxBookingConfirmed, ledger.TxBookingCancelled,
		ledger.TxHoldExpired, ledger.TxTicketReleased)
	if r.peak[standing.Section] != standing.Capacity {
		t.Errorf("at most %d of %d places were taken at once: the rush never filled the section", r.peak[standing.Section], standing.Capacity)
	}
	if tally[ledger.TxTicketsHeld+": "+ledger.EREFUSED] == 0 {
		t.Error("no pick was refused for want of places")
	}
	for seat := range r.seats {
		if seat.Section != standing.Section {
			t.Errorf("seat %s taken outside the standing section", seat)
		}
	}
	t.Logf("the most places taken at once: %d of %d", r.peak[standing.Section], standing.Capacity)
}

// actStanding releases a confirmed place (2 in 10) or takes places.
func (b *shopBuyer) actStanding(t *testing.T) {
	if b.rng.IntN(10) < 2 {
		b.release(t)
		return
	}
	b.takePlaces(t)
}

// takePlaces opens a booking, asks for one to four places of the standing section by
// quantity, and then confirms (5 in 10), cancels (2 in 10), or walks away.
func (b *shopBuyer) takePlaces(t *testing.T) {
	ctx := context.Background()
	customer := b.e.customers[b.rng.IntN(len(b.e.customers))]
	bk, err := b.c.NewBooking(ctx, b.e.contract, customer)
	if !b.answered(t, "booking_opened", err) {
		return
	}
	quantity := 1 + b.rng.IntN(4)
	rc, err := b.c.HoldBest(ctx, bk.ID, ledger.Pick{Section: standing.Section, Quantity: quantity})
	if !b.answered(t, ledger.TxTicketsHeld, err, ledger.EREFUSED) {
		return
	}
	places := rc.Booking.Seats()
	if len(places) != quantity {
		t.Errorf("%s asked for %d places and holds %v", b.name, quantity, places)
	}
	for _, p := range places {
		if p.Section != standing.Section || p.Letter != "" || p.Number < 1 || p.Number > standing.Capacity {
			t.Errorf("%s was given %s, not a place of %s", b.name, p, standing.Section)
		}
	}
	b.told = append(b.told, shopTold{kind: ledger.TxTicketsHeld, hash: rc.TransactionHash, booking: bk.ID, seats: places})
	switch n := b.rng.IntN(10); {
	case n < 5:
		b.confirm(t, bk.ID, customer, places)
	case n < 7:
		b.cancel(t, bk.ID)
	}
}
