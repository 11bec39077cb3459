package sqlstore_test

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/fixtures"
	"github.com/ticketbooth-go/ticketbooth/ledger"
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
		if _, _, err := e.store.CreateContract(e.admin, venue.Name, venue.Seats); err != nil {
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
	c, _, err := e.store.CreateContract(e.admin, venue.Name, venue.Seats)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := e.store.BeginSale(e.admin, c.Address, prices, e.details(b, 1)); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		e.clock.AdvanceBlocks(1)
		if _, err := e.store.EndSale(e.admin, c.Address); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(len(venue.Seats)), "seats")
}
