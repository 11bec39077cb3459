package sqlstore_test

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// expiryHolds is how many bookings BenchmarkExpireHolds lets expire at once, one held
// seat each (the sweeper's worst case: one booking, one journal row per seat).
const expiryHolds = 5_000

// BenchmarkExpireHolds lets expiryHolds bookings' holds pass at once on the test clock
// and times the sweeper (ExpireHolds, as `serve` runs it) returning every seat to the
// pool. Opening the bookings and holding their seats (32 goroutines, not timed) takes
// most of the run; after the sweep the benchmark checks that no seat is still held.
func BenchmarkExpireHolds(b *testing.B) {
	for range b.N {
		b.StopTimer()
		e := holdMany(b, expiryHolds)
		e.clock.Advance(time.Hour)
		b.StartTimer()
		expired := 0
		for {
			n, err := e.store.Bookings.ExpireHolds(e.admin, 10000)
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				break
			}
			expired += n
		}
		b.StopTimer()
		if expired != expiryHolds {
			b.Fatalf("expired %d bookings, want %d", expired, expiryHolds)
		}
		if held := countHeld(b, e); held != 0 {
			b.Fatalf("%d seats still held after the sweep", held)
		}
	}
	b.ReportMetric(float64(expiryHolds), "holds")
	b.ReportMetric(float64(expiryHolds)*float64(b.N)/b.Elapsed().Seconds(), "holds/s")
}

// holdMany opens a store whose sale has n seats and a 15-minute hold time, and n
// bookings of one customer each holding one seat, opened by 32 goroutines at once.
func holdMany(b *testing.B, n int) *env {
	e := openEnv(b)
	seats := make([]ledger.Seat, n)
	for i := range seats {
		seats[i] = ledger.Seat{Section: "Block " + strconv.Itoa(i/1000), Number: i%1000 + 1}
	}
	c, _, err := e.store.Contracts.CreateContract(e.admin, "Bench Arena", seats)
	if err != nil {
		b.Fatal(err)
	}
	d := e.details(b, 1000)
	d.HoldTime = ledger.Duration(15 * time.Minute)
	if _, err := e.store.Contracts.BeginSale(e.admin, c.Address, flatPrices(seats, 25), d); err != nil {
		b.Fatal(err)
	}
	cu, err := e.store.Customers.CreateCustomer(e.admin, seedPerson())
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				bk, err := e.store.Bookings.NewBooking(e.admin, c.Address, cu.ID)
				if err == nil {
					_, err = e.store.Bookings.Hold(e.admin, bk.ID, seats[i:i+1])
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return e
}

// countHeld counts the ticket rows still held by a booking (no owner, a booking named).
func countHeld(b *testing.B, e *env) int {
	var n int
	err := e.rawDB(b).QueryRow(`SELECT COUNT(*) FROM tickets WHERE booking <> 0 AND owner IS NULL`).Scan(&n)
	if err != nil {
		b.Fatal(err)
	}
	return n
}
