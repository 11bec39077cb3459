package rush_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// benchClients is how many buyers the HTTP figures use; a closed loop of n buyers waits
// about n / throughput per request, so the p99 target is met at some concurrency only.
const benchClients = 32

// BenchmarkOnSale measures an on-sale rush side by side, b.N reservations of distinct
// seats each: the bare store doing the conditional update without HTTP (16 goroutines a
// core), then `ticketbooth loadtest` with 32 clients against real `serve` processes, on
// SQLite (one server) and PostgreSQL (one and three servers), and PostgreSQL with 64
// clients. PostgreSQL is a throwaway cluster that syncs its WAL (fsync on,
// synchronous_commit on), reached over TCP on loopback; the sale is set up and vacuumed
// before the clock starts, as it would be hours before a real on-sale (and as pgbench
// does). Run it with a fixed count:
//
//	go test -run '^$' -bench OnSale -benchtime 20000x ./e2e/rush
func BenchmarkOnSale(b *testing.B) {
	pgtest.Require(b)
	cluster, err := pgtest.Start(pgtest.Durable)
	if err != nil {
		b.Fatal(err)
	}
	defer cluster.Stop()
	newPostgres := func(b *testing.B) string {
		url, err := cluster.CreateDatabase(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		return url
	}
	newSQLite := func(b *testing.B) string { return filepath.Join(b.TempDir(), "ledger.db") }
	b.Run("store/sqlite", func(b *testing.B) { benchStore(b, newSQLite(b)) })
	b.Run("store/postgres", func(b *testing.B) { benchStore(b, newPostgres(b)) })
	bin := buildBinary(b, b.TempDir())
	b.Run("http/sqlite/1-server", func(b *testing.B) { benchHTTP(b, bin, newSQLite(b), 1, benchClients) })
	b.Run("http/postgres/1-server", func(b *testing.B) { benchHTTP(b, bin, newPostgres(b), 1, benchClients) })
	b.Run("http/postgres/3-servers", func(b *testing.B) { benchHTTP(b, bin, newPostgres(b), 3, benchClients) })
	b.Run("http/postgres/1-server/64-clients", func(b *testing.B) { benchHTTP(b, bin, newPostgres(b), 1, 64) })
}

// arena returns n seats in blocks of 1,000.
func arena(n int) []ledger.Seat {
	seats := make([]ledger.Seat, n)
	for i := range seats {
		seats[i] = ledger.Seat{Section: "Block " + strconv.Itoa(i/1000), Number: i%1000 + 1}
	}
	return seats
}

// benchStore reserves b.N seats through the store itself.
func benchStore(b *testing.B, db string) {
	s, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	seats := arena(b.N + 1)
	address := openSale(b, s, seats)
	vacuum(b, db)
	var next atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			t := ledger.SealedTicket{Seat: seats[next.Add(1)], SecretCiphertext: make([]byte, 16), SecretDigest: make([]byte, 28)}
			start := time.Now()
			if _, err := s.Selling.Reserve(admin, address, ledger.Order{Sender: "bench", Tickets: []ledger.SealedTicket{t}}); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reservations/s")
	b.ReportMetric(percentile(latencies, 0.99).Seconds()*1000, "p99-ms")
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), ds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// benchHTTP starts the servers on db, opens a sale of 5·b.N seats and lets the load
// generator make b.N attempts through them (a few fail: two buyers chose one seat).
func benchHTTP(b *testing.B, bin, db string, servers, clients int) {
	e := &rushEnv{bin: bin, db: db, dir: b.TempDir()}
	e.server = e.serve(b)
	e.setUpArena(b, min(5*b.N+1000, 200000)) // a contract holds at most 200,000 seats
	args := []string{"loadtest", "--key", e.key, "--contract", e.contract, "--clients", strconv.Itoa(clients),
		"--duration", "0", "--requests", strconv.Itoa(b.N), "--json", "--server", e.server}
	for range servers - 1 {
		args = append(args, "--server", e.serve(b))
	}
	b.ResetTimer()
	out := e.run(b, args...)
	b.StopTimer()
	var rep struct {
		Reservations, Oversold, Mismatched int64
		PerSecond                          float64 `json:"reservationsPerSecond"`
		P50ms, P99ms                       float64
		Statuses                           map[string]int64
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		b.Fatalf("loadtest report: %v\n%s", err, out)
	}
	others := int64(len(rep.Statuses))
	if rep.Statuses["201"] > 0 {
		others--
	}
	if rep.Statuses["400"] > 0 {
		others-- // two buyers chose the same free seat
	}
	if rep.Oversold != 0 || rep.Mismatched != 0 || others != 0 || rep.Reservations < int64(b.N)*9/10 {
		b.Fatalf("loadtest: %d of %d reserved, %d oversold, %d mismatched, answers %v", rep.Reservations, b.N, rep.Oversold, rep.Mismatched, rep.Statuses)
	}
	b.ReportMetric(rep.PerSecond, "reservations/s")
	b.ReportMetric(rep.P50ms, "p50-ms")
	b.ReportMetric(rep.P99ms, "p99-ms")
}

// setUpArena makes a box-office key and a contract of n seats on sale at one price,
// in-process on the database while the first server runs.
func (e *rushEnv) setUpArena(b *testing.B, n int) {
	e.key = lastLine(e.run(b, "keys", "create", "--role", "box-office", "--name", "shop"))
	s, err := sqlstore.Open(context.Background(), e.db, sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	e.contract = openSale(b, s, arena(n))
	vacuum(b, e.db)
}

// vacuum has PostgreSQL vacuum and analyze the new sale's tables, so autovacuum does not
// start on them in the middle of the measurement.
func vacuum(b *testing.B, db string) {
	if !sqlstore.IsPostgres(db) {
		return
	}
	conn, err := sql.Open("pgx", db)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
}

// openSale creates a contract of the seats and begins a sale at one price, as the
// administrator, and returns its address.
func openSale(b *testing.B, s *sqlstore.Store, seats []ledger.Seat) string {
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	c, _, err := s.Contracts.CreateContract(admin, "Bench Arena", seats)
	if err != nil {
		b.Fatal(err)
	}
	prices := make([]ledger.SeatPrice, len(seats))
	for i, seat := range seats {
		prices[i] = ledger.SeatPrice{Seat: seat, Price: 25}
	}
	info, _ := s.Journal.Info(admin)
	d := ledger.SaleDetails{Name: "Bench", Organiser: "Org", Time: time.Now().Add(48 * time.Hour).Unix(), EndOfSale: info.Height + 1000}
	if _, err := s.Contracts.BeginSale(admin, c.Address, prices, d); err != nil {
		b.Fatal(err)
	}
	return c.Address
}
