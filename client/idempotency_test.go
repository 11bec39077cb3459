package client_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// lossyServer is the real server on loopback whose first write's answer is lost: the
// write runs, then the connection is cut before the client reads a byte of the answer.
type lossyServer struct {
	store *sqlstore.Store
	url   string
	lost  []byte // the answer the client never got
	cut   atomic.Bool
}

func newLossyServer(t *testing.T) *lossyServer {
	t.Helper()
	clock := testclock.New(testclock.Start, testInterval)
	store, err := sqlstore.Open(context.Background(), pgtest.LedgerDB(t), sqlstore.Options{BlockInterval: testInterval, Now: clock.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	h, err := server.New(wiring.Services(store), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ls := &lossyServer{store: store}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !ls.cut.CompareAndSwap(false, true) {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		r.Header.Del("Accept-Encoding") // the lost answer is kept plain, for the test to read
		h.ServeHTTP(rec, r)
		ls.lost = rec.Body.Bytes()
		panic(http.ErrAbortHandler) // the answer is lost on the way
	}))
	t.Cleanup(srv.Close)
	ls.url = srv.URL
	return ls
}

// sale opens a sale of two seats owned by the administrator.
func (ls *lossyServer) sale(t *testing.T) (string, []ledger.Seat) {
	t.Helper()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	all := seats(t, "1A", "1B")
	c, _, err := ls.store.Contracts.CreateContract(admin, "Hall", all)
	ok(t, err, "CreateContract")
	info, err := ls.store.Journal.Info(context.Background())
	ok(t, err, "Info")
	d := ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe", Time: testclock.Start.Unix() + 86400, EndOfSale: info.Height + 100}
	_, err = ls.store.Contracts.BeginSale(admin, c.Address, []ledger.SeatPrice{{Seat: all[0], Price: 10}, {Seat: all[1], Price: 20}}, d)
	ok(t, err, "BeginSale")
	ls.cut.Store(false) // from here on, the first write's answer is lost
	return c.Address, all
}

func (ls *lossyServer) client(t *testing.T) *client.Client {
	t.Helper()
	key, _, err := ls.store.Keys.CreateKey(context.Background(), ledger.RoleBoxOffice, "till")
	ok(t, err, "CreateKey")
	return mustClient(t, ls.url, key)
}

func TestRetriedReserveSellsOnce(t *testing.T) {
	ls := newLossyServer(t)
	address, all := ls.sale(t)
	c := ls.client(t).RetryWrites(2)
	p, err := c.Reserve(context.Background(), address, issuer.Request{Seats: all, Sender: "ann"})
	ok(t, err, "Reserve through a lost answer")
	var lost issuer.Purchase
	ok(t, json.Unmarshal(ls.lost, &lost), "the lost answer")
	if p.TransactionHash != lost.TransactionHash || len(p.Tickets) != 2 || p.Tickets[0].Secret != lost.Tickets[0].Secret || p.Tickets[1].Secret != lost.Tickets[1].Secret {
		t.Fatalf("the retry answered %+v, want the lost answer %+v", p, lost)
	}
	tickets, err := ls.store.Contracts.Tickets(context.Background(), address)
	ok(t, err, "Tickets")
	for _, tk := range tickets {
		if tk.Address == ledger.ZeroAddress {
			t.Fatalf("seat %s unsold", tk.Seat)
		}
	}
}

func TestLostAnswerWithoutRetryIsAnError(t *testing.T) {
	ls := newLossyServer(t)
	address, all := ls.sale(t)
	_, err := ls.client(t).Reserve(context.Background(), address, issuer.Request{Seats: all, Sender: "ann"})
	wantCode(t, err, ledger.EINTERNAL)
}

func TestIdempotencyKeyFromContext(t *testing.T) {
	ls := newLossyServer(t)
	address, all := ls.sale(t)
	ls.cut.Store(true) // no loss
	c := ls.client(t)
	ctx := client.WithIdempotencyKey(context.Background(), "order-17")
	first, err := c.Reserve(ctx, address, issuer.Request{Seats: all[:1], Sender: "ann"})
	ok(t, err, "Reserve")
	again, err := c.Reserve(ctx, address, issuer.Request{Seats: all[:1], Sender: "ann"})
	ok(t, err, "Reserve again with the same key")
	if again.TransactionHash != first.TransactionHash || again.Tickets[0].Secret != first.Tickets[0].Secret {
		t.Fatalf("the same key sold again: %+v then %+v", first, again)
	}
	_, err = c.Reserve(ctx, address, issuer.Request{Seats: all[1:], Sender: "ann"})
	wantCode(t, err, ledger.ECONFLICT)
}
