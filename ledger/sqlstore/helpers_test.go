package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestMain stops the PostgreSQL test cluster, when TICKETBOOTH_TEST_DB=postgres started one.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testInterval is the block interval of test databases.
const testInterval = 10 * time.Second

// fakeClock is a clock the test moves by hand; it is safe for concurrent use.
type fakeClock = testclock.Clock

func newFakeClock() *fakeClock { return testclock.New(testclock.Start, testInterval) }

// env is a store on a real database with a clock the test controls: a SQLite file, or a
// PostgreSQL database under TICKETBOOTH_TEST_DB=postgres. Every test of this package
// runs on either; `make test` runs them on both.
type env struct {
	store *sqlstore.Store
	clock *fakeClock
	db    string // the database as Open takes it
	admin context.Context
}

func openEnv(tb testing.TB) *env {
	tb.Helper()
	e := &env{clock: newFakeClock(), db: pgtest.LedgerDB(tb)}
	e.store = mustOpen(tb, e.db, sqlstore.Options{BlockInterval: testInterval, Now: e.clock.Now})
	e.admin = ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	return e
}

func mustOpen(tb testing.TB, path string, opts sqlstore.Options) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.Open(context.Background(), path, opts)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// height returns the store's current block height.
func (e *env) height(tb testing.TB) int64 {
	tb.Helper()
	info, err := e.store.Journal.Info(context.Background())
	if err != nil {
		tb.Fatalf("Info: %v", err)
	}
	return info.Height
}

// actor makes an API key of the role and returns a context acting as its holder, as the
// server would after authenticating the key.
func (e *env) actor(tb testing.TB, role ledger.Role, name string) context.Context {
	tb.Helper()
	key, rec, err := e.store.Keys.CreateKey(context.Background(), role, name)
	if err != nil {
		tb.Fatalf("CreateKey(%s): %v", role, err)
	}
	a, err := e.store.Keys.Authenticate(context.Background(), key)
	if err != nil {
		tb.Fatalf("Authenticate: %v", err)
	}
	if a.KeyID != rec.ID || a.Role != role || a.Admin {
		tb.Fatalf("Authenticate = %+v, want key %d of role %s", a, rec.ID, role)
	}
	return ledger.WithActor(context.Background(), a)
}

// create makes a contract of the seats (text form) and returns it.
func (e *env) create(tb testing.TB, ctx context.Context, seats ...string) ledger.Contract {
	tb.Helper()
	c, _, err := e.store.Contracts.CreateContract(ctx, "Test Hall", parseSeats(tb, seats...))
	if err != nil {
		tb.Fatalf("CreateContract: %v", err)
	}
	return c
}

// details returns sale details for a show tomorrow whose sale ends blocks from now.
func (e *env) details(tb testing.TB, blocks int64) ledger.SaleDetails {
	tb.Helper()
	return ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Players",
		Time: e.clock.Now().Add(24 * time.Hour).Unix(), EndOfSale: e.height(tb) + blocks}
}

// flatPrices prices every seat at price.
func flatPrices(seats []ledger.Seat, price int64) []ledger.SeatPrice {
	out := make([]ledger.SeatPrice, len(seats))
	for i, s := range seats {
		out[i] = ledger.SeatPrice{Seat: s, Price: price}
	}
	return out
}

func parseSeats(tb testing.TB, texts ...string) []ledger.Seat {
	tb.Helper()
	out := make([]ledger.Seat, len(texts))
	for i, text := range texts {
		s, err := ledger.ParseSeat(text)
		if err != nil {
			tb.Fatalf("ParseSeat(%q): %v", text, err)
		}
		out[i] = s
	}
	return out
}

// rawDB is the store's database opened directly, as someone tampering with it would.
// Its methods take SQL with ? placeholders on either engine.
type rawDB struct {
	db       *sql.DB
	postgres bool
}

func (e *env) rawDB(tb testing.TB) *rawDB {
	tb.Helper()
	driver, dsn := "sqlite", "file:"+e.db+"?_pragma=busy_timeout(10000)"
	if pgtest.OnPostgres() {
		driver, dsn = "pgx", e.db
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return &rawDB{db: db, postgres: pgtest.OnPostgres()}
}

func (r *rawDB) bind(query string) string {
	if r.postgres {
		return sqlstore.NumberPlaceholders(query)
	}
	return query
}

func (r *rawDB) Exec(query string, args ...any) (sql.Result, error) {
	return r.db.Exec(r.bind(query), args...)
}

func (r *rawDB) Query(query string, args ...any) (*sql.Rows, error) {
	return r.db.Query(r.bind(query), args...)
}

func (r *rawDB) QueryRow(query string, args ...any) *sql.Row {
	return r.db.QueryRow(r.bind(query), args...)
}

func mustExec(tb testing.TB, db *rawDB, query string, args ...any) int64 {
	tb.Helper()
	res, err := db.Exec(query, args...)
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	n, _ := res.RowsAffected()
	return n
}

// wantCode fails unless err carries the code and a message that reads as a sentence.
func wantCode(tb testing.TB, err error, want string) {
	tb.Helper()
	if got := ledger.ErrorCode(err); got != want {
		tb.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
	msg := ledger.ErrorMessage(err)
	r := []rune(msg)
	if len(r) == 0 || !unicode.IsLetter(r[0]) || len(strings.Fields(msg)) < 3 {
		tb.Errorf("message %q is not a sentence", msg)
	}
	for _, debris := range []string{"%!", "<nil>", "sql:", "SQL logic", "constraint failed"} {
		if strings.Contains(msg, debris) {
			tb.Errorf("message %q carries %q", msg, debris)
		}
	}
}

func mustNil(tb testing.TB, err error, what string) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}
