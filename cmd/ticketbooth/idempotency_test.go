package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// A remote reserve whose answer is lost on the way is sent again under the same
// Idempotency-Key: the command gets the tickets sold the first time, and sells once.
func TestRemoteReserveRetriesALostAnswer(t *testing.T) {
	db := newDB(t, 50*time.Millisecond)
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	organizer, _, err := st.Keys.CreateKey(context.Background(), ledger.RoleOrganizer, "office")
	if err != nil {
		t.Fatal(err)
	}
	h := apiServer(t, st)
	var lose atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/Reserve") && lose.CompareAndSwap(true, false) {
			h.ServeHTTP(httptest.NewRecorder(), r) // the seats are sold...
			panic(http.ErrAbortHandler)            // ...and the answer is lost
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	conn := []string{"--server", srv.URL, "--key", organizer}
	address := theatreOnSale(t, conn, "1h")
	lose.Store(true)
	out := mustCLI(t, append([]string{"reserve", "--contract", address, "--seat", "1A", "--sender", "alice", "--out",
		filepath.Join(t.TempDir(), "t.json")}, conn...)...)
	if !strings.Contains(out, "reserved 1A for alice") || lose.Load() {
		t.Fatalf("remote reserve after a lost answer = %q (answer lost: %v)", out, !lose.Load())
	}
	tickets, err := st.Contracts.Tickets(context.Background(), address)
	if err != nil {
		t.Fatal(err)
	}
	sold := 0
	for _, tk := range tickets {
		if tk.Address != ledger.ZeroAddress {
			sold++
		}
	}
	if sold != 1 {
		t.Fatalf("%d seats sold, want 1", sold)
	}
}
