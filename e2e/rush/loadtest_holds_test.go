package rush_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/loadgen"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestLoadtestLeavesHeldSeats: `ticketbooth loadtest` buys only seats the ticket list
// offers, so seats a booking holds are not among them: one client buying one seat at a
// time on a contract whose seats bookings mostly hold is never refused, and the ledger
// agrees with it afterwards.
func TestLoadtestLeavesHeldSeats(t *testing.T) {
	e := openShop(t, filepath.Join(t.TempDir(), "loadtest.db"), false, nil)
	ctx := context.Background()
	shop := e.client(t, 0, e.shop)
	bk, err := shop.NewBooking(ctx, e.contract, e.customers[0])
	if err != nil {
		t.Fatal(err)
	}
	var held []ledger.Seat
	for s := range e.prices {
		if s.Number > 1 { // every row but the first: 84 of 96 seats
			held = append(held, s)
		}
	}
	if _, err := shop.Hold(ctx, bk.ID, ledger.HoldSeats("", held...)); err != nil {
		t.Fatal(err)
	}
	rep, err := loadgen.Run(ctx, loadgen.Options{Servers: e.urls, Key: e.shop, Contract: e.contract, Clients: 1, Requests: 10,
		SeatsPerOrder: 1, Duration: time.Minute}, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reservations != 10 || rep.Statuses["201"] != 10 || len(rep.Statuses) != 1 || rep.Mismatched != 0 {
		t.Errorf("loadtest on a contract mostly held: %+v, want 10 reservations, every answer 201", rep)
	}
}
