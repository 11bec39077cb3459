package sqlstore_test

import (
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// expiryHolds is how many bookings BenchmarkExpireHolds lets expire at once, one held
// seat each (the sweeper's worst case: one booking, one journal row per seat), as issue
// 12's target asks; rushSeats, how many more seats the rush during the sweep may hold.
const (
	expiryHolds = 100_000
	rushSeats   = 60_000
)

// BenchmarkExpireHolds lets expiryHolds bookings' holds pass at once on the test clock
// and times the sweeper (ExpireHolds, as `serve` runs it, sweepLimit bookings a call)
// returning every seat to the pool, while a rush of 32 goroutines goes on opening
// bookings and holding one free seat in each. It reports the sweep's time and rate and
// the p50 and p99 of the rush's holds during the sweep (and the p99 of the two seconds
// of rush alone before it, for comparison). Opening the bookings and holding
// their seats beforehand (32 goroutines, not timed) takes most of the run; after the
// sweep it checks that only the rush's seats are still held.
func BenchmarkExpireHolds(b *testing.B) {
	for range b.N {
		b.StopTimer()
		e, address, seats := holdMany(b, expiryHolds, rushSeats)
		e.clock.Advance(time.Hour)
		stop := make(chan struct{})
		rush := startRush(b, e, address, seats[expiryHolds:], stop)
		time.Sleep(2 * time.Second) // the rush alone, for comparison
		sweep := time.Now()
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
		close(stop)
		before, holds := rush.wait(sweep)
		if expired != expiryHolds {
			b.Fatalf("expired %d bookings, want %d", expired, expiryHolds)
		}
		if held := countHeld(b, e); held != len(before)+len(holds) {
			b.Fatalf("%d seats still held after the sweep, want the rush's %d", held, len(before)+len(holds))
		}
		b.ReportMetric(percentileMS(before, 99), "rush-alone-p99-ms")
		b.ReportMetric(float64(len(holds)), "rush-holds")
		b.ReportMetric(percentileMS(holds, 50), "rush-p50-ms")
		b.ReportMetric(percentileMS(holds, 99), "rush-p99-ms")
	}
	b.ReportMetric(float64(expiryHolds), "holds")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "sweep-s")
	b.ReportMetric(float64(expiryHolds)*float64(b.N)/b.Elapsed().Seconds(), "holds/s")
}

// rush is BenchmarkExpireHolds's rush of holds: when each hold started and took.
type rush struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	starts []time.Time
	holds  []time.Duration
}

// startRush starts 32 goroutines that, until stop closes, each open a booking and hold
// one of the seats in it, the next not yet taken, timing each hold.
func startRush(b *testing.B, e *env, address string, seats []ledger.Seat, stop chan struct{}) *rush {
	r := &rush{}
	cu, err := e.store.Customers.CreateCustomer(e.admin, seedPerson())
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	for range 32 {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for i := next.Add(1) - 1; i < int64(len(seats)); i = next.Add(1) - 1 {
				select {
				case <-stop:
					return
				default:
				}
				bk, err := e.store.Bookings.NewBooking(e.admin, address, cu.ID)
				start := time.Now()
				if err == nil {
					_, err = e.store.Bookings.Hold(e.admin, bk.ID, ledger.HoldSeats("", seats[i:i+1]...))
				}
				if err != nil {
					b.Error(err)
					return
				}
				r.mu.Lock()
				r.starts, r.holds = append(r.starts, start), append(r.holds, time.Since(start))
				r.mu.Unlock()
			}
		}()
	}
	return r
}

// wait waits for the rush's goroutines to end and returns the latencies of its holds
// begun before at and of those begun since.
func (r *rush) wait(at time.Time) (before, since []time.Duration) {
	r.wg.Wait()
	for i, d := range r.holds {
		if r.starts[i].Before(at) {
			before = append(before, d)
		} else {
			since = append(since, d)
		}
	}
	return before, since
}

// percentileMS is the p-th percentile of the durations, in milliseconds.
func percentileMS(d []time.Duration, p int) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return float64(d[(len(d)-1)*p/100]) / float64(time.Millisecond)
}

// holdMany opens a store whose sale has n+free seats and a 15-minute hold time, and n
// bookings of one customer each holding one of the first n seats, opened by 32
// goroutines at once. It returns the store, the contract and its seats.
func holdMany(b *testing.B, n, free int) (*env, string, []ledger.Seat) {
	e := openEnv(b)
	seats := make([]ledger.Seat, n+free)
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
					_, err = e.store.Bookings.Hold(e.admin, bk.ID, ledger.HoldSeats("", seats[i:i+1]...))
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
	return e, c.Address, seats
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
