package sqlstore_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/fixtures"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

func TestInfo(t *testing.T) {
	e := openEnv(t)
	genesis := e.clock.Now()
	info, err := e.store.Journal.Info(context.Background())
	mustNil(t, err, "Info")
	if info.Height != 0 || time.Duration(info.BlockInterval) != testInterval || !info.Genesis.Equal(genesis) || info.ZeroAddress != ledger.ZeroAddress {
		t.Errorf("Info = %+v", info)
	}
	e.clock.Advance(3*testInterval + testInterval/2)
	if h := e.height(t); h != 3 {
		t.Errorf("height after 3.5 blocks = %d, want 3", h)
	}
	if c := e.store.Clock(); !c.Genesis.Equal(genesis) || c.Interval != testInterval {
		t.Errorf("Clock = %+v", c)
	}
}

func TestReopen(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A", "1B")
	_, err := e.store.Contracts.SetReleaseFee(org, c.Address, 15)
	mustNil(t, err, "SetReleaseFee")
	_, err = e.store.Contracts.BeginSale(org, c.Address, flatPrices(parseSeats(t, "1A", "1B"), 40), e.details(t, 3))
	mustNil(t, err, "BeginSale")
	e.clock.AdvanceBlocks(2)
	before := mustContract(t, e, c.Address)
	mustNil(t, e.store.Close(), "Close")

	for _, interval := range []time.Duration{0, testInterval} {
		s := mustOpen(t, e.db, sqlstore.Options{BlockInterval: interval, Now: e.clock.Now})
		again := &env{store: s, clock: e.clock, db: e.db, admin: e.admin}
		after := mustContract(t, again, c.Address)
		if after.Rules != before.Rules || after.Sale == nil || !reflect.DeepEqual(*after.Sale, *before.Sale) || after.Owner != before.Owner {
			t.Errorf("after reopening: %+v, want %+v", after, before)
		}
		checkPrices(t, again, c.Address, 40, 40)
		if again.height(t) != 2 || s.Clock().Interval != testInterval {
			t.Errorf("reopened clock: height %d interval %v", again.height(t), s.Clock().Interval)
		}
		// The key made before still works and still owns the contract.
		_, err = s.Contracts.SetReleaseFee(org, c.Address, 1)
		wantCode(t, err, ledger.ECONFLICT)
		rep, err := s.Journal.Verify(e.admin)
		mustNil(t, err, "Verify")
		if !rep.OK || rep.Transactions != 3 || rep.Blocks != 1 {
			t.Errorf("Verify after reopening = %+v", rep)
		}
		mustNil(t, s.Close(), "Close")
	}

	_, err = sqlstore.Open(context.Background(), e.db, sqlstore.Options{BlockInterval: 16 * time.Second, Now: e.clock.Now})
	wantCode(t, err, ledger.EINVALID)
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	tests := map[string]struct {
		path string
		opts sqlstore.Options
		code string
	}{
		"NoPath":        {"", sqlstore.Options{}, ledger.EINVALID},
		"NoFolder":      {filepath.Join(dir, "missing", "ledger.db"), sqlstore.Options{}, ledger.EINVALID},
		"ShortInterval": {pgtest.LedgerDB(t), sqlstore.Options{BlockInterval: time.Microsecond}, ledger.EINVALID},
		// Nothing listens on port 1: the database may be down for a moment, which is no
		// mistake in what was asked.
		"PostgresUnreachable": {"postgres://ledger@127.0.0.1:1/ledger?sslmode=disable&connect_timeout=5", sqlstore.Options{}, ledger.EINTERNAL},
		// The URL is refused before any connection.
		"PostgresBadURL": {"postgres://ledger@127.0.0.1:notaport/ledger", sqlstore.Options{}, ledger.EINVALID},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := sqlstore.Open(context.Background(), tt.path, tt.opts)
			if err == nil {
				s.Close()
			}
			wantCode(t, err, tt.code)
		})
	}
}

func TestDefaultBlockInterval(t *testing.T) {
	s := mustOpen(t, pgtest.LedgerDB(t), sqlstore.Options{})
	if s.Clock().Interval != ledger.DefaultBlockInterval {
		t.Errorf("interval = %v, want %v", s.Clock().Interval, ledger.DefaultBlockInterval)
	}
	if g := s.Clock().Genesis; time.Since(g) < 0 || time.Since(g) > time.Minute {
		t.Errorf("genesis %v is not now", g)
	}
}

// TestStadium checks a 60,000-seat venue works end to end in the store.
func TestStadium(t *testing.T) {
	if testing.Short() {
		t.Skip("stadium contract in -short mode")
	}
	venue, err := fixtures.LoadVenue("stadium")
	mustNil(t, err, "LoadVenue")
	list, err := fixtures.LoadPrices("stadium")
	mustNil(t, err, "LoadPrices")
	e := openEnv(t)
	c, _, err := e.store.Contracts.CreateContract(e.admin, venue.Name, venue.Seats)
	mustNil(t, err, "CreateContract")
	prices := make([]ledger.SeatPrice, len(venue.Seats))
	for i, s := range venue.Seats {
		p, err := list.Price(s)
		mustNil(t, err, "Price")
		// Reverse order: matching must be by seat.
		prices[len(prices)-1-i] = ledger.SeatPrice{Seat: s, Price: p}
	}
	_, err = e.store.Contracts.BeginSale(e.admin, c.Address, prices, e.details(t, 10))
	mustNil(t, err, "BeginSale")
	tickets, err := e.store.Contracts.Tickets(context.Background(), c.Address)
	mustNil(t, err, "Tickets")
	if len(tickets) != len(venue.Seats) || c.SeatCount != len(venue.Seats) {
		t.Fatalf("%d tickets, %d seats counted, want %d", len(tickets), c.SeatCount, len(venue.Seats))
	}
	for i, tk := range tickets {
		want, _ := list.Price(venue.Seats[i])
		if tk.Seat != venue.Seats[i] || tk.Price != want {
			t.Fatalf("ticket %d = %+v, want %s at %d", i, tk, venue.Seats[i], want)
		}
	}
}

// TestPostgresURL: the store takes pgx's URL with pool_max_conns for its pool (which must
// not reach the server as a setting it does not know), refuses a bad one, and names the
// database without its password.
func TestPostgresURL(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("PostgreSQL URLs: run with TICKETBOOTH_TEST_DB=postgres (make test does)")
	}
	db := pgtest.LedgerDB(t)
	s := mustOpen(t, db+"&pool_max_conns=3", sqlstore.Options{})
	if _, _, err := s.Contracts.CreateContract(ledger.WithActor(context.Background(), ledger.Actor{Admin: true}), "Hall", parseSeats(t, "1A")); err != nil {
		t.Errorf("CreateContract on a pool of 3: %v", err)
	}
	_, err := sqlstore.Open(context.Background(), db+"&pool_max_conns=many", sqlstore.Options{})
	wantCode(t, err, ledger.EINVALID)
	withPassword := strings.Replace(db, "postgres@", "postgres:s3cr3t@", 1)
	s2 := mustOpen(t, withPassword, sqlstore.Options{})
	if strings.Contains(s2.Name(), "s3cr3t") || !strings.HasPrefix(s2.Name(), "postgres://127.0.0.1:") {
		t.Errorf("Name() = %q, want the host and database without the password", s2.Name())
	}
}
