package season_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/season"
)

// pingBody is a ping of the DSN main.
var pingBody = envelope(map[string]any{"cmd": "ping", "uid": "u", "dsn": "main"})

// clockedEnv is a server whose store reads the test's clock, at testclock.Start
// (03:04:05 UTC: 55 seconds before the next minute).
func clockedEnv(t *testing.T) (*env, *testclock.Clock) {
	clock := testclock.New(testclock.Start, time.Second)
	return envOn(t, pgtest.LedgerDB(t), sqlstore.Options{Now: clock.Now}), clock
}

// partnerWith makes a partner key of sth-customer on main with the limits.
func (e *env) partnerWith(perMinute, perDay int) (string, sqlstore.Key) {
	e.t.Helper()
	key, rec, err := e.store.Keys.CreatePartnerKey(context.Background(), "limited partner",
		ledger.PartnerGrant{Product: "sth-customer", DSNs: []string{"main"}, PerMinute: perMinute, PerDay: perDay})
	if err != nil {
		e.t.Fatal(err)
	}
	return key, rec
}

// pings calls ping n times with the key and fails unless each is answered 200.
func (e *env) pings(key string, n int) {
	e.t.Helper()
	for i := 1; i <= n; i++ {
		if r := e.post("sth-customer", "main", key, pingBody); r.status != http.StatusOK {
			e.t.Fatalf("call %d: %d %v", i, r.status, r.Command1)
		}
	}
}

// refused checks that a ping with the key is refused by the limit, retried after wait.
func (e *env) refused(key, limit, retryAfter string) {
	e.t.Helper()
	r := e.post("sth-customer", "main", key, pingBody)
	detail, _ := r.Command1["error_detail"].(string)
	if r.status != http.StatusTooManyRequests || r.result() != season.ResultLimit || r.retryAfter != retryAfter || !strings.Contains(detail, "this "+limit) {
		e.t.Fatalf("over the %s's limit: %d result %d Retry-After %q %q, want 429 result %d Retry-After %s", limit, r.status, r.result(), r.retryAfter, detail, season.ResultLimit, retryAfter)
	}
}

func TestThe81stCallInAMinuteRefused(t *testing.T) {
	e, clock := clockedEnv(t)
	key := e.partner("sth-customer", "main")
	e.pings(key, 80)
	e.refused(key, "minute", "55")
	e.refused(key, "minute", "55")
	clock.Advance(54 * time.Second)
	e.refused(key, "minute", "1")
	clock.Advance(time.Second)
	e.pings(key, 80)
	e.refused(key, "minute", "60")
}

func TestThe5001stCallInADayRefused(t *testing.T) {
	e, clock := clockedEnv(t)
	key, rec := e.partnerWith(100_000, 0)
	meterConcurrently(t, e.store, rec.ID, 4_999)
	e.pings(key, 1)
	// From 03:04:05 to midnight UTC: 20 h 55 min 55 s.
	e.refused(key, "day", "75355")
	clock.Advance(75354 * time.Second)
	e.refused(key, "day", "1")
	clock.Advance(time.Second)
	e.pings(key, 1)
}

// meterConcurrently counts n calls of the key straight on the store, from 16 goroutines,
// and fails unless each is allowed.
func meterConcurrently(t *testing.T, st *sqlstore.Store, keyID int64, n int) {
	t.Helper()
	grant := ledger.PartnerGrant{Product: "sth-customer", DSNs: []string{"main"}, PerMinute: n + 1, PerDay: n + 1}
	var wg sync.WaitGroup
	var refused sync.Map
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 16 {
				v, err := st.Calls.Meter(context.Background(), keyID, grant)
				if err != nil || !v.Allowed {
					refused.Store(i, err)
				}
			}
		}()
	}
	wg.Wait()
	refused.Range(func(i, err any) bool { t.Fatalf("call %d refused: %v", i, err); return false })
}

func TestCustomLimitsPerKey(t *testing.T) {
	e, clock := clockedEnv(t)
	limited, _ := e.partnerWith(3, 5)
	other := e.partner("sth-customer", "main")
	e.pings(limited, 3)
	e.refused(limited, "minute", "55")
	e.pings(other, 4)
	clock.Advance(55 * time.Second)
	e.pings(limited, 2)
	e.refused(limited, "day", "75300")
	e.pings(other, 1)
}

func TestTwoServersShareOneLimit(t *testing.T) {
	clock := testclock.New(testclock.Start, time.Second)
	db := pgtest.LedgerDB(t)
	servers := []*env{envOn(t, db, sqlstore.Options{Now: clock.Now}), envOn(t, db, sqlstore.Options{Now: clock.Now})}
	key := servers[0].partner("sth-customer", "main")
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := servers[i%2].post("sth-customer", "main", key, pingBody)
			mu.Lock()
			statuses[r.status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusOK] != 80 || statuses[http.StatusTooManyRequests] != 20 {
		t.Fatalf("100 calls across two servers: %v, want 80 answered and 20 refused", statuses)
	}
	servers[0].refused(key, "minute", "55")
	servers[1].refused(key, "minute", "55")
}
