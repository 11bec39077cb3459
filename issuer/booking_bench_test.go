package issuer_test

import (
	"sort"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// BenchmarkConfirmBooking4 confirms bookings of 4 held seats on SQLite, secrets, keys and
// QR texts included, and reports the median and 99th percentile of one confirmation.
// Run with a count of confirmations: go test ./issuer -run '^$' -bench ConfirmBooking4 -benchtime 300x
func BenchmarkConfirmBooking4(b *testing.B) {
	e := newSellEnv(b)
	e.issuer.Bookings = e.store.Bookings
	const perBooking = 4
	c := e.openSale(b, perBooking*max(b.N, 1), ledger.Rules{}, 1000)
	all := seats(perBooking * max(b.N, 1))
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		bk := e.bookSeats(b, c.Address, all[i*perBooking:(i+1)*perBooking]...)
		b.StartTimer()
		start := time.Now()
		if _, err := e.issuer.ConfirmBooking(e.ctx, bk.ID, issuer.ConfirmRequest{}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	if len(took) > 0 {
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	}
}
