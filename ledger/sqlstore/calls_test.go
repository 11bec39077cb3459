package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestCallsCountedExactly: 20 keys of 7 calls a minute each get 300 calls at once from
// two stores of one database; each key has exactly 7 allowed and the rest refused as the
// minute's, counted as refusals, and the next minute starts afresh.
func TestCallsCountedExactly(t *testing.T) {
	e := openEnv(t)
	other := mustOpen(t, e.db, sqlstore.Options{Now: e.clock.Now})
	grant := ledger.PartnerGrant{Product: "sth-customer", DSNs: []string{"main"}, PerMinute: 7}
	var ids []int64
	for range 20 {
		_, k, err := e.store.Keys.CreatePartnerKey(context.Background(), "partner", grant)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, k.ID)
	}
	allowed := meterAll(t, []*sqlstore.Store{e.store, other}, ids, grant, 300)
	for _, id := range ids {
		u, err := other.Calls.Usage(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if allowed[id] != 7 || u.MinuteCalls != 7 || u.DayCalls != 7 || u.MinuteRefused != 8 || u.DayRefused != 8 {
			t.Errorf("key %d: %d allowed, usage %+v; want 7 allowed and 8 refused", id, allowed[id], u)
		}
	}
	e.clock.Advance(time.Minute)
	u, err := e.store.Calls.Usage(context.Background(), ids[0])
	if err != nil || u != (sqlstore.CallUsage{DayCalls: 7, DayRefused: 8}) {
		t.Errorf("a minute later: %+v %v, want only the day's counts", u, err)
	}
	if v, err := e.store.Calls.Meter(context.Background(), ids[0], grant); err != nil || !v.Allowed {
		t.Errorf("a minute later: %+v %v, want allowed", v, err)
	}
}

// meterAll counts n calls spread over the keys and the stores, all at once, and returns
// how many of each key's were allowed; a refusal must be the minute's.
func meterAll(t *testing.T, stores []*sqlstore.Store, ids []int64, g ledger.PartnerGrant, n int) map[int64]int {
	var mu sync.Mutex
	allowed := map[int64]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := ids[i%len(ids)]
			v, err := stores[i%len(stores)].Calls.Meter(context.Background(), id, g)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Errorf("call %d: %v", i, err)
			case v.Allowed:
				allowed[id]++
			case v.Limit != "minute" || v.RetryAfter <= 0 || v.RetryAfter > time.Minute:
				t.Errorf("call %d refused by %q, retry after %s", i, v.Limit, v.RetryAfter)
			}
		}()
	}
	wg.Wait()
	return allowed
}

// BenchmarkMeter counts calls of 1,000 keys from 2 and from 32 goroutines straight on
// the store, no HTTP: the CallMeter's own cost. It reports the process's CPU time per call and the mean
// number of calls one transaction counted.
func BenchmarkMeter(b *testing.B) {
	for _, p := range []int{1, 16} {
		b.Run(fmt.Sprintf("clients-%d", 2*p), func(b *testing.B) { benchMeter(b, p) })
	}
}

func benchMeter(b *testing.B, parallelism int) {
	e := openEnv(b)
	grant := ledger.PartnerGrant{Product: "sth-customer", DSNs: []string{"main"}, PerMinute: 1 << 30, PerDay: 1 << 30}
	ids := make([]int64, 1000)
	for i := range ids {
		_, k, err := e.store.Keys.CreatePartnerKey(context.Background(), "partner", grant)
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = k.ID
	}
	var next atomic.Int64
	batches, calls := e.store.Calls.Batches()
	b.SetParallelism(parallelism)
	cpu := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.store.Calls.Meter(context.Background(), ids[next.Add(1)%1000], grant); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	nb, nc := e.store.Calls.Batches()
	b.ReportMetric(float64(processCPU()-cpu)/float64(time.Microsecond)/float64(b.N), "cpu-µs/call")
	b.ReportMetric(float64(nc-calls)/float64(max(nb-batches, 1)), "calls/batch")
}

// TestCallsWindowNeverGoesBack: a store whose clock is a minute behind another's counts
// in the other's later minute, so a key's limit is not granted twice.
func TestCallsWindowNeverGoesBack(t *testing.T) {
	e := openEnv(t)
	ahead := newFakeClock()
	ahead.Advance(time.Minute)
	other := mustOpen(t, e.db, sqlstore.Options{Now: ahead.Now})
	grant := ledger.PartnerGrant{Product: "sth-customer", DSNs: []string{"main"}, PerMinute: 2}
	_, k, err := e.store.Keys.CreatePartnerKey(context.Background(), "partner", grant)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if v, err := other.Calls.Meter(context.Background(), k.ID, grant); err != nil || !v.Allowed {
			t.Fatalf("call ahead: %+v %v", v, err)
		}
	}
	v, err := e.store.Calls.Meter(context.Background(), k.ID, grant)
	// testclock.Start is 03:04:05: the later minute ends 115 s after the clock behind.
	if err != nil || v.Allowed || v.Limit != "minute" || v.RetryAfter != 115*time.Second {
		t.Errorf("call behind: %+v %v, want refused by the minute for 115 s", v, err)
	}
}
