package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/fixtures"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

func loadStadium(b *testing.B) (fixtures.Venue, []ledger.SeatPrice) {
	b.Helper()
	venue, err := fixtures.LoadVenue("stadium")
	if err != nil {
		b.Fatal(err)
	}
	list, err := fixtures.LoadPrices("stadium")
	if err != nil {
		b.Fatal(err)
	}
	prices := make([]ledger.SeatPrice, len(venue.Seats))
	for i, s := range venue.Seats {
		p, err := list.Price(s)
		if err != nil {
			b.Fatal(err)
		}
		prices[i] = ledger.SeatPrice{Seat: s, Price: p}
	}
	return venue, prices
}

// BenchmarkCreateContractStadium creates a 60,000-seat contract per iteration.
func BenchmarkCreateContractStadium(b *testing.B) {
	venue, _ := loadStadium(b)
	e := openEnv(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, _, err := e.store.Contracts.CreateContract(e.admin, venue.Name, venue.Seats); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(venue.Seats)), "seats")
}

// BenchmarkBeginSaleStadium begins a sale of 60,000 priced seats per iteration; ending
// each sale (so the next may begin) is not timed.
func BenchmarkBeginSaleStadium(b *testing.B) {
	venue, prices := loadStadium(b)
	e := openEnv(b)
	c, _, err := e.store.Contracts.CreateContract(e.admin, venue.Name, venue.Seats)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := e.store.Contracts.BeginSale(e.admin, c.Address, prices, e.details(b, 1)); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		e.clock.AdvanceBlocks(1)
		if _, err := e.store.Contracts.EndSale(e.admin, c.Address); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(len(venue.Seats)), "seats")
}

// BenchmarkReserve is the bare store's ceiling for an on-sale rush: concurrent buyers
// (16 per core) each reserving one seat, every reservation a conditional update and a
// journal row, with no HTTP around it. It runs on SQLite and, when PostgreSQL is
// installed, on a durable throwaway cluster (fsync on), with one and two stores on one
// database. Under TICKETBOOTH_TEST_DB=postgres only the PostgreSQL cases run.
func BenchmarkReserve(b *testing.B) {
	if !pgtest.OnPostgres() {
		b.Run("sqlite", func(b *testing.B) { benchReserve(b, filepath.Join(b.TempDir(), "ledger.db"), 1) })
	}
	c, err := pgtest.Start(pgtest.Durable)
	if errors.Is(err, pgtest.ErrNotInstalled) {
		b.Skip("postgres: ", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer c.Stop()
	for _, stores := range []int{1, 2} {
		b.Run(fmt.Sprintf("postgres/stores=%d", stores), func(b *testing.B) {
			url, err := c.CreateDatabase(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			benchReserve(b, url, stores)
		})
	}
}

// benchReserve reserves b.N distinct seats of one sale through the stores, round robin.
func benchReserve(b *testing.B, db string, stores int) {
	e := &env{clock: newFakeClock(), db: db, admin: ledger.WithActor(context.Background(), ledger.Actor{Admin: true})}
	var all []*sqlstore.Store
	for range stores {
		all = append(all, mustOpen(b, db, sqlstore.Options{BlockInterval: testInterval, Now: e.clock.Now}))
	}
	e.store = all[0]
	seats := make([]ledger.Seat, b.N+1)
	for i := range seats {
		seats[i] = ledger.Seat{Section: "Block " + strconv.Itoa(i/1000), Number: i%1000 + 1}
	}
	c, _, err := e.store.Contracts.CreateContract(e.admin, "Bench Arena", seats)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.store.Contracts.BeginSale(e.admin, c.Address, flatPrices(seats, 25), e.details(b, 1000)); err != nil {
		b.Fatal(err)
	}
	secret := ledger.SealedTicket{SecretCiphertext: make([]byte, 16), SecretDigest: make([]byte, 28)}
	var next atomic.Int64
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			t := secret
			t.Seat = seats[i]
			if _, err := all[int(i)%stores].Selling.Reserve(e.admin, c.Address, ledger.Order{Sender: "bench", Tickets: []ledger.SealedTicket{t}}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reservations/s")
	if w := sqlstore.WritesPerCommit(all[0]); w > 0 {
		b.ReportMetric(w, "writes/commit")
	}
}
