package client_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// TestTicketPages: the client reads a 2,500-ticket list a page at a time, every ticket
// once in seat order with the total on every page, and the server sent the pages
// gzip-compressed (the client's transport asked for it and decompressed them).
func TestTicketPages(t *testing.T) {
	clock := testclock.New(testclock.Start, testInterval)
	store, err := sqlstore.Open(context.Background(), pgtest.LedgerDB(t), sqlstore.Options{BlockInterval: testInterval, Now: clock.Now})
	ok(t, err, "Open")
	t.Cleanup(func() { store.Close() })
	h, err := server.New(wiring.Services(store), slog.New(slog.DiscardHandler))
	ok(t, err, "server.New")
	var mu sync.Mutex
	var encodings []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		mu.Lock()
		encodings = append(encodings, w.Header().Get("Content-Encoding"))
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	seats := make([]ledger.Seat, 2500)
	for i := range seats {
		seats[i] = ledger.Seat{Section: "Block " + strconv.Itoa(i/100), Number: i%100 + 1, Letter: "A"}
	}
	c, _, err := store.Contracts.CreateContract(admin, "Arena", seats)
	ok(t, err, "CreateContract")
	anon := mustClient(t, srv.URL, "")
	var got []ledger.Ticket
	pages := 0
	for p, err := range anon.TicketPages(context.Background(), c.Address, 1000) {
		ok(t, err, "TicketPages")
		if p.Total != 2500 {
			t.Errorf("page %d: total %d", pages, p.Total)
		}
		got, pages = append(got, p.Tickets...), pages+1
	}
	if pages != 3 || len(got) != 2500 || got[0].Seat != seats[0] || got[2499].Seat != seats[2499] {
		t.Fatalf("%d pages, %d tickets", pages, len(got))
	}
	for i, enc := range encodings {
		if enc != "gzip" {
			t.Errorf("answer %d had Content-Encoding %q", i, enc)
		}
	}
	for _, err := range anon.TicketPages(context.Background(), c.Address, 0) {
		wantCode(t, err, ledger.EINVALID)
	}
}
