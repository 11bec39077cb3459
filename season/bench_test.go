package season_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/season"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// benchKeys is how many distinct partner keys the ping benchmark calls with.
const benchKeys = 1000

// BenchmarkPing is ping through the command API on one server over loopback: 32 clients
// at once (16 per core on two cores), keeping their connections alive, each call with
// the next of 1,000 partner keys in turn. "metered" counts every call against its key's
// limits (set high enough never to refuse) as serve does; "unmetered" runs without the
// CallMeter, so the difference is the limiter's cost. It runs on SQLite, and metered on
// PostgreSQL (a durable throwaway cluster). It reports calls per second, the process's
// CPU time per call (the clients' included), the p50 and p99 of a call, and metered, the
// mean number of calls counted in one transaction; afterwards the metered runs check that the keys' counters add up to the calls made.
func BenchmarkPing(b *testing.B) {
	b.Run("sqlite-metered", func(b *testing.B) { benchPing(b, filepath.Join(b.TempDir(), "bench.db"), true) })
	b.Run("sqlite-unmetered", func(b *testing.B) { benchPing(b, filepath.Join(b.TempDir(), "bench.db"), false) })
	cluster, err := pgtest.Start(pgtest.Durable)
	if err != nil {
		pgtest.Require(b) // skips, or fails under CI, when PostgreSQL is missing
		b.Fatal(err)
	}
	defer cluster.Stop()
	b.Run("postgres-metered", func(b *testing.B) {
		url, err := cluster.CreateDatabase(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { cluster.DropDatabase(context.Background(), url) })
		benchPing(b, url, true)
	})
}

// benchPing runs BenchmarkPing on the database at path.
func benchPing(b *testing.B, path string, metered bool) {
	st, err := sqlstore.Open(context.Background(), path, sqlstore.Options{Serving: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	srv := pingServer(b, st, metered)
	keys, ids := benchPartners(b, st)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	for _, k := range keys { // the server trusts a key it has seen for a while: as in a day's work
		if err := benchCall(client, srv.URL, k); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	var mu sync.Mutex
	var calls []time.Duration
	b.SetParallelism(16)
	cpu := processCPU()
	batches, counted := st.Calls.Batches()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			if err := benchCall(client, srv.URL, keys[next.Add(1)%benchKeys]); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		calls = append(calls, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu)/float64(time.Microsecond)/float64(b.N), "cpu-µs/call")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	b.ReportMetric(percentileMS(calls, 50), "p50-ms")
	b.ReportMetric(percentileMS(calls, 99), "p99-ms")
	if metered {
		nb, nc := st.Calls.Batches()
		b.ReportMetric(float64(nc-counted)/float64(max(nb-batches, 1)), "calls/batch")
		checkCounted(b, st, ids, int64(b.N+benchKeys))
	}
}

// pingServer is the API on loopback over st with the command API, metered or not.
func pingServer(b *testing.B, st *sqlstore.Store, metered bool) *httptest.Server {
	svc := wiring.Services(st)
	cs := wiring.SeasonServices(svc, st, "")
	if !metered {
		cs.Meter = nil
	}
	h, err := season.New(cs, nil)
	if err != nil {
		b.Fatal(err)
	}
	svc.Commands = h
	api, err := server.New(svc, nil)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api)
	b.Cleanup(srv.Close)
	return srv
}

// benchPartners makes the benchmark's partner keys, with limits it never reaches.
func benchPartners(b *testing.B, st *sqlstore.Store) ([]string, []int64) {
	keys, ids := make([]string, benchKeys), make([]int64, benchKeys)
	grant := ledger.PartnerGrant{Product: "sth-customer", DSNs: []string{"main"}, PerMinute: 1 << 30, PerDay: 1 << 30}
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < benchKeys; i += 16 {
				key, rec, err := st.Keys.CreatePartnerKey(context.Background(), fmt.Sprintf("partner %d", i), grant)
				if err != nil {
					b.Error(err)
					return
				}
				keys[i], ids[i] = key, rec.ID
			}
		}()
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return keys, ids
}

var benchBody = []byte(envelope(map[string]any{"cmd": "ping", "uid": "bench", "dsn": "main"}))

// benchCall pings with the key and checks the answer is 200.
func benchCall(client *http.Client, base, key string) error {
	resp, err := client.Post(base+"/sth-customer/ticketing_services.aspx?"+url.Values{"dsn": {"main"}, "apikey": {key}}.Encode(),
		"application/json", bytes.NewReader(benchBody))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ping: %d %s", resp.StatusCode, data)
	}
	return nil
}

// checkCounted checks that the keys' counters of the day add up to the calls made.
func checkCounted(b *testing.B, st *sqlstore.Store, ids []int64, want int64) {
	var got int64
	for _, id := range ids {
		u, err := st.Calls.Usage(context.Background(), id)
		if err != nil {
			b.Fatal(err)
		}
		got += u.DayCalls
	}
	if got != want && time.Now().UTC().Hour() != 0 { // a run across midnight counts in two days
		b.Errorf("the keys' counters add up to %d calls, want %d", got, want)
	}
}

// processCPU is the CPU time the process has used, user and system.
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
