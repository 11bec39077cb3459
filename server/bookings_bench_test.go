package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// BenchmarkHoldParallel is the shop's rush through HTTP on loopback: 32 clients at once
// (16 per core on two cores), each operation a booking opened for one of 32 customers
// and 1 or 2 seats held in it (alternately), every booking on distinct seats. It runs on
// SQLite with one server, and on PostgreSQL (a durable throwaway cluster: fsync and
// synchronous commit on) with one and with three servers (three stores and server.New
// over the one database, the clients spread over them). It reports held tickets per
// second, the process's CPU time per held ticket, and the p50 and p99 of the hold
// requests and of whole bookings (open + hold). Afterwards it counts the ticket rows:
// every seat the answers said was held is held once, by one booking, and none is sold.
// -bench 'HoldParallel/sqlite' runs the SQLite rush alone.
func BenchmarkHoldParallel(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchHolds(b, filepath.Join(b.TempDir(), "bench.db"), 1) })
	cluster, err := pgtest.Start(pgtest.Durable)
	if err != nil {
		pgtest.Require(b) // skips, or fails under CI, when PostgreSQL is missing
		b.Fatal(err)
	}
	defer cluster.Stop()
	for _, n := range []int{1, 3} {
		b.Run(fmt.Sprintf("postgres-%d", n), func(b *testing.B) {
			url, err := cluster.CreateDatabase(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { cluster.DropDatabase(context.Background(), url) })
			benchHolds(b, url, n)
		})
	}
}

// benchHolds runs BenchmarkHoldParallel's rush through n servers.
func benchHolds(b *testing.B, path string, n int) {
	srv, key, addr, _ := benchSaleOn(b, path, 2*b.N)
	servers := append([]*httptest.Server{srv}, moreServers(b, path, n-1)...)
	customers := benchCustomers(b, srv, key, 32)
	var next, seatsTaken, held atomic.Int64
	var mu sync.Mutex
	var holds, bookings []time.Duration
	b.SetParallelism(16)
	cpu := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var myHolds, myBookings []time.Duration
		for pb.Next() {
			i := next.Add(1) - 1
			k := int64(1 + i%2)
			first := seatsTaken.Add(k) - k
			srv := servers[i%int64(len(servers))]
			start := time.Now()
			id, err := benchOpen(srv, key, addr, customers[i%int64(len(customers))])
			mid := time.Now()
			if err == nil {
				err = benchHold(srv, key, id, first, k)
			}
			if err != nil {
				b.Error(err)
				return
			}
			end := time.Now()
			myHolds, myBookings = append(myHolds, end.Sub(mid)), append(myBookings, end.Sub(start))
			held.Add(k)
		}
		mu.Lock()
		holds, bookings = append(holds, myHolds...), append(bookings, myBookings...)
		mu.Unlock()
	})
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu)/float64(time.Microsecond)/float64(held.Load()), "cpu-µs/held")
	b.ReportMetric(float64(held.Load())/b.Elapsed().Seconds(), "held/s")
	b.ReportMetric(percentileMS(holds, 50), "hold-p50-ms")
	b.ReportMetric(percentileMS(holds, 99), "hold-p99-ms")
	b.ReportMetric(percentileMS(bookings, 99), "booking-p99-ms")
	checkHeldOnce(b, path, held.Load(), int64(b.N))
}

// moreServers opens n more stores on the database at path, each with its own server on
// loopback, as further `serve` processes would.
func moreServers(b *testing.B, path string, n int) []*httptest.Server {
	ctx := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	var out []*httptest.Server
	for range n {
		st, err := sqlstore.Open(ctx, path, sqlstore.Options{Serving: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		srv := httptest.NewServer(newServer(b, st, slog.New(slog.DiscardHandler)))
		b.Cleanup(srv.Close)
		out = append(out, srv)
	}
	return out
}

// benchCustomers creates n customers over HTTP and returns their ids.
func benchCustomers(b *testing.B, srv *httptest.Server, key string, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		body := fmt.Sprintf(`{"firstName":"Ann","lastName":"Bench %d","email":"ann%d@example.org"}`, i, i)
		var c ledger.Customer
		if err := benchPost(srv, key, api.CustomersPath, body, &c); err != nil {
			b.Fatal(err)
		}
		ids[i] = c.ID
	}
	return ids
}

// benchOpen opens a booking for the customer and returns its id.
func benchOpen(srv *httptest.Server, key, addr string, customer int64) (int64, error) {
	var bk ledger.Booking
	err := benchPost(srv, key, api.BookingsPath, fmt.Sprintf(`{"customer":%d,"contract":%q}`, customer, addr), &bk)
	return bk.ID, err
}

// benchHold holds k seats of benchSale's numbering from seat first in the booking.
func benchHold(srv *httptest.Server, key string, id, first, k int64) error {
	var seats []string
	for s := first; s < first+k; s++ {
		seats = append(seats, fmt.Sprintf(`{"section":"S%d","number":%d}`, s/1000, s%1000+1))
	}
	return benchPost(srv, key, api.BookingPath(id, "tickets"), `{"seats":[`+strings.Join(seats, ",")+`]}`, nil)
}

// benchPost posts the body with the key and decodes a 200 or 201 answer into out.
func benchPost(srv *httptest.Server, key, path, body string, out any) error {
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := srv.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, msg)
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// processCPU is the CPU time this process has used so far, user and system: per unit
// of work it varies less than a rate with a machine shared by other work.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// percentileMS is the p-th percentile of the durations, in milliseconds.
func percentileMS(d []time.Duration, p int) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return float64(d[(len(d)-1)*p/100]) / float64(time.Millisecond)
}

// checkHeldOnce counts the ledger's rows after a hold rush: held tickets (a booking, no
// owner) as many as the answers said, on as many distinct seats, none sold, and as many
// bookings as were opened.
func checkHeldOnce(b *testing.B, path string, held, opened int64) {
	db := openRaw(b, path)
	var rows, seats, sold, nbookings int64
	err := db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT contract || ':' || idx) FROM tickets WHERE booking <> 0 AND owner IS NULL`).Scan(&rows, &seats)
	if err == nil {
		err = db.QueryRow(`SELECT COUNT(*) FROM tickets WHERE owner IS NOT NULL`).Scan(&sold)
	}
	if err == nil {
		err = db.QueryRow(`SELECT COUNT(*) FROM bookings`).Scan(&nbookings)
	}
	if err != nil {
		b.Fatal(err)
	}
	if rows != held || seats != held || sold != 0 || nbookings != opened {
		b.Fatalf("%d held rows on %d seats (want %d), %d sold (want 0), %d bookings (want %d)", rows, seats, held, sold, nbookings, opened)
	}
}
