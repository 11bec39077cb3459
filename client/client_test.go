package client_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

const testInterval = 10 * time.Second

// TestMain stops the PostgreSQL cluster the tests started under TICKETBOOTH_TEST_DB=postgres.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// fakeClock is the clock the test moves by hand.
type fakeClock = testclock.Clock

// env is a real server on loopback over a real SQLite file, and clients of it.
type env struct {
	store *sqlstore.Store
	clock *fakeClock
	url   string
	// alice and bob are organizers, shop a box office, gate a scanner, anon has no key.
	alice, bob, shop, gate, anon *client.Client
	aliceActor                   context.Context // alice's actor, for calling the store directly
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{clock: testclock.New(testclock.Start, testInterval)}
	store, err := sqlstore.Open(context.Background(), pgtest.LedgerDB(t),
		sqlstore.Options{BlockInterval: testInterval, Now: e.clock.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	e.store = store
	h, err := server.New(wiring.Services(store), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	var aliceKey string
	e.alice, aliceKey = e.client(t, ledger.RoleOrganizer, "alice")
	e.bob, _ = e.client(t, ledger.RoleOrganizer, "bob")
	e.shop, _ = e.client(t, ledger.RoleBoxOffice, "shop")
	e.gate, _ = e.client(t, ledger.RoleScanner, "gate")
	e.anon = mustClient(t, srv.URL, "")
	a, err := store.Keys.Authenticate(context.Background(), aliceKey)
	if err != nil {
		t.Fatal(err)
	}
	e.aliceActor = ledger.WithActor(context.Background(), a)
	return e
}

func (e *env) client(t *testing.T, role ledger.Role, name string) (*client.Client, string) {
	t.Helper()
	key, _, err := e.store.Keys.CreateKey(context.Background(), role, name)
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	return mustClient(t, e.url, key), key
}

func mustClient(t *testing.T, url, key string) *client.Client {
	t.Helper()
	c, err := client.New(url, key)
	if err != nil {
		t.Fatalf("client.New(%q): %v", url, err)
	}
	return c
}

func (e *env) details(t *testing.T, blocks int64) ledger.SaleDetails {
	t.Helper()
	info, err := e.anon.Info(context.Background())
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	return ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe", Time: e.clock.Now().Add(24 * time.Hour).Unix(), EndOfSale: info.Height + blocks}
}

func seats(t *testing.T, texts ...string) []ledger.Seat {
	t.Helper()
	out := make([]ledger.Seat, len(texts))
	for i, text := range texts {
		s, err := ledger.ParseSeat(text)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = s
	}
	return out
}

func ok(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantCode fails unless err carries the code and a message that reads as a sentence.
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := ledger.ErrorCode(err); got != want {
		t.Fatalf("error code %q (%v), want %q", got, err, want)
	}
	msg := ledger.ErrorMessage(err)
	r := []rune(msg)
	if len(r) == 0 || !unicode.IsLetter(r[0]) || len(strings.Fields(msg)) < 3 || strings.Contains(msg, "%!") {
		t.Errorf("message %q is not a sentence", msg)
	}
}
