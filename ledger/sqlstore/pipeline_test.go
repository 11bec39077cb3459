package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestReservePipelined: on PostgreSQL a reservation commits in two round trips; a refused
// one falls back to the ordinary write and gets its exact error; a server whose clock is
// behind the closed mark falls back once and then writes above the mark. On SQLite the
// group commit does all of it and the pipeline is never used.
func TestReservePipelined(t *testing.T) {
	e := openEnv(t)
	behind := testclock.New(e.clock.Now(), testInterval)
	late := mustOpen(t, e.db, sqlstore.Options{Now: behind.Now})
	box := e.actor(t, ledger.RoleBoxOffice, "shop")
	c := e.create(t, e.admin, "1A", "2A", "3A", "4A", "5A", "6A")
	_, err := e.store.Contracts.BeginSale(e.admin, c.Address, flatPrices(parseSeats(t, "1A", "2A", "3A", "4A", "5A", "6A"), 10), e.details(t, 100))
	mustNil(t, err, "BeginSale")
	order := func(seats ...string) ledger.Order {
		o := ledger.Order{Sender: "ann@example.org"}
		for _, s := range parseSeats(t, seats...) {
			o.Tickets = append(o.Tickets, ledger.SealedTicket{Seat: s, SecretCiphertext: make([]byte, 16), SecretDigest: []byte(s.String())})
		}
		return o
	}
	want := func(store *sqlstore.Store, n int64) {
		t.Helper()
		if !pgtest.OnPostgres() {
			n = 0
		}
		if got := sqlstore.Pipelined(store); got != n {
			t.Errorf("%d reservations pipelined, want %d", got, n)
		}
	}

	rc, err := e.store.Selling.Reserve(box, c.Address, order("1A"))
	mustNil(t, err, "Reserve 1A")
	if rc.Total != 10 || len(rc.Prices) != 1 || rc.Height != e.height(t) {
		t.Errorf("receipt %+v, want total 10 at height %d", rc, e.height(t))
	}
	rc, err = e.store.Selling.Reserve(box, c.Address, order("4A", "2A", "3A"))
	mustNil(t, err, "Reserve 4A 2A 3A")
	if rc.Total != 30 || len(rc.Prices) != 3 {
		t.Errorf("receipt %+v, want total 30 for three seats", rc)
	}
	want(e.store, 2)

	_, err = e.store.Selling.Reserve(box, c.Address, order("5A", "1A"))
	wantCode(t, err, ledger.EREFUSED)
	_, err = e.store.Selling.Reserve(box, c.Address, order("9Z"))
	wantCode(t, err, ledger.EREFUSED)
	if _, err := e.store.Selling.Reserve(e.actor(t, ledger.RoleScanner, "door"), c.Address, order("5A")); err == nil {
		t.Error("a scanner key reserved a seat")
	}
	want(e.store, 2)

	// The server behind learns the closed mark 3 on its first write; then the mark moves
	// to 7 while its clock stays at 3, so its next reservation is chosen below the mark.
	e.clock.AdvanceBlocks(3)
	behind.AdvanceBlocks(3)
	if rep := mustVerify(t, e); !rep.OK || rep.Height != 3 {
		t.Fatalf("Verify = %+v, want OK sealed to 3", rep)
	}
	_, err = late.Selling.Reserve(box, c.Address, order("5A"))
	mustNil(t, err, "Reserve on the server behind")
	want(late, 1)
	e.clock.AdvanceBlocks(4)
	if rep := mustVerify(t, e); !rep.OK || rep.Height != 7 {
		t.Fatalf("Verify = %+v, want OK sealed to 7", rep)
	}
	rc, err = late.Selling.Reserve(box, c.Address, order("6A"))
	mustNil(t, err, "Reserve on the server behind the mark")
	if rc.Height < 7 {
		t.Errorf("reservation by the server behind at height %d, below the closed mark 7", rc.Height)
	}
	want(late, 1) // its height was below the mark: it ran again, above it

	list, err := e.store.Contracts.Tickets(e.admin, c.Address)
	mustNil(t, err, "Tickets")
	for _, tk := range list {
		if tk.Sender != "ann@example.org" || tk.Address == ledger.ZeroAddress {
			t.Errorf("seat %s held by %q (%s) after the reservations", tk.Seat, tk.Sender, tk.Address)
		}
	}
	e.clock.AdvanceBlocks(2)
	if rep := mustVerify(t, e); !rep.OK || rep.Transactions != 6 {
		t.Errorf("Verify = %+v, want OK with 6 transactions", rep)
	}
}

// TestReserveGroup runs one pipelined group by hand: an order whose seat another order of
// the group took first, an unknown contract and a scanner key leave the group, and so
// does an organizer key on another's contract (those that took seats make the
// group roll back and commit the rest again), a buyer who gave up is sold nothing, and
// only what the group committed is in the tickets and the journal.
func TestReserveGroup(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("the pipelined group commit is PostgreSQL's; run with TICKETBOOTH_TEST_DB=postgres")
	}
	e := openEnv(t)
	seats := parseSeats(t, "1A", "2A", "3A", "4A", "5A", "6A")
	c := e.create(t, e.admin, "1A", "2A", "3A", "4A", "5A", "6A")
	_, err := e.store.Contracts.BeginSale(e.admin, c.Address, flatPrices(seats, 10), e.details(t, 100))
	mustNil(t, err, "BeginSale")
	actorOf := func(ctx context.Context) ledger.Actor {
		a, _ := ledger.ActorFrom(ctx)
		return a
	}
	box, door := actorOf(e.actor(t, ledger.RoleBoxOffice, "shop")), actorOf(e.actor(t, ledger.RoleScanner, "door"))
	rival := actorOf(e.actor(t, ledger.RoleOrganizer, "rival")) // owns no contract here
	nowhere, err := ledger.NewAddress()
	mustNil(t, err, "NewAddress")
	order := func(sender string, seats ...string) ledger.Order {
		o := ledger.Order{Sender: sender}
		for _, s := range parseSeats(t, seats...) {
			o.Tickets = append(o.Tickets, ledger.SealedTicket{Seat: s, SecretCiphertext: []byte{1}, SecretDigest: []byte(sender)})
		}
		return o
	}
	bg, gone := context.Background(), canceled()
	done, errs := sqlstore.ReserveGroup(e.store,
		[]context.Context{bg, bg, bg, bg, bg, bg, gone},
		[]ledger.Actor{box, box, box, box, door, rival, box},
		[]string{c.Address, c.Address, c.Address, nowhere, c.Address, c.Address, c.Address},
		[]ledger.Order{order("ann", "1A"), order("bob", "2A", "1A"), order("cid", "3A"), order("dan", "1A"), order("eve", "4A"),
			order("fay", "5A"), order("gus", "6A")})
	if want := []bool{true, false, true, false, false, false, false}; !slices.Equal(done, want) || slices.ContainsFunc(errs, isErr) {
		t.Errorf("answered %v with %v, want %v and no refusals (the group rolled back)", done, errs, want)
	}
	if n := sqlstore.Pipelined(e.store); n != 2 {
		t.Errorf("%d reservations pipelined, want 2", n)
	}
	list, err := e.store.Contracts.Tickets(e.admin, c.Address)
	mustNil(t, err, "Tickets")
	want := map[string]string{"1A": "ann", "3A": "cid"}
	for _, tk := range list {
		if tk.Sender != want[tk.Seat.String()] || (tk.Sender == "") != (tk.Address == ledger.ZeroAddress) {
			t.Errorf("seat %s held by %q (%s), want %q", tk.Seat, tk.Sender, tk.Address, want[tk.Seat.String()])
		}
	}

	// A group where nothing needs rolling back answers its refusals itself, worded as
	// the ordinary write words them: a seat taken, a seat the hall lacks (named before a
	// seat taken), and a seat another order of the group takes first.
	done, errs = sqlstore.ReserveGroup(e.store, []context.Context{bg, bg, bg, bg, bg},
		[]ledger.Actor{box, box, box, box, box},
		[]string{c.Address, c.Address, c.Address, c.Address, c.Address},
		[]ledger.Order{order("ivy", "3A"), order("jon", "3A", "9Z"), order("kim", "4A"), order("lee", "4A"), order("max", "3A", "1A")})
	want1 := []string{"Ticket for seat 3A not available to purchase", "Invalid seat 9Z: it is well-formed, but this hall has no such seat", "", "Ticket for seat 4A not available to purchase",
		"Ticket for seat 1A not available to purchase"}
	for i, w := range want1 {
		if !done[i] || ledger.ErrorMessage(errs[i]) != w || w != "" && ledger.ErrorCode(errs[i]) != ledger.EREFUSED {
			t.Errorf("order %d: answered %v with %v, want %q", i, done[i], errs[i], w)
		}
	}
	// The same orders as ordinary writes give the same answers.
	for i, o := range []ledger.Order{order("ivy", "3A"), order("jon", "3A", "9Z"), order("lee", "4A"), order("max", "3A", "1A")} {
		_, err := e.store.Selling.Reserve(e.actor(t, ledger.RoleBoxOffice, "shop"), c.Address, o)
		if w := []string{want1[0], want1[1], want1[3], want1[4]}[i]; ledger.ErrorMessage(err) != w {
			t.Errorf("ordinary write of order %d: %v, want %q", i, err, w)
		}
	}
	if n := sqlstore.Pipelined(e.store); n != 3 {
		t.Errorf("%d reservations pipelined, want 3", n)
	}
	e.clock.AdvanceBlocks(2)
	if rep := mustVerify(t, e); !rep.OK || rep.Transactions != 5 {
		t.Errorf("Verify = %+v, want OK with 5 transactions (contract, sale, three reservations)", rep)
	}
}

func isErr(err error) bool { return err != nil }

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// TestServingOpensPool: a serving store on PostgreSQL has its whole pool connected and
// warmed from the start, without writing anything; any other store connects as it goes.
func TestServingOpensPool(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("SQLite has no connections to make; run with TICKETBOOTH_TEST_DB=postgres")
	}
	for _, serving := range []bool{false, true} {
		db := pgtest.LedgerDB(t)
		mustOpen(t, db, sqlstore.Options{}).Close() // create the schema
		sep := "?"
		if strings.Contains(db, "?") {
			sep = "&"
		}
		s := mustOpen(t, db+sep+"pool_max_conns=3", sqlstore.Options{Serving: serving})
		e := &env{store: s, db: db}
		var n int
		mustNil(t, e.rawDB(t).QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()`).Scan(&n), "counting")
		if want := map[bool]int{false: 2, true: 4}[serving]; n != want { // the store's, and the one counting
			t.Errorf("serving %v: %d connections to the database, want %d", serving, n, want)
		}
		// Warming the connections plans statements but runs none: not even the journal's
		// sequence has moved.
		var used bool
		mustNil(t, e.rawDB(t).QueryRow(`SELECT is_called FROM journal_seq`).Scan(&used), "reading the sequence")
		if used || countRows(t, e, "journal") != 0 {
			t.Errorf("serving %v: opening the store wrote to the journal or used its sequence", serving)
		}
	}
}
