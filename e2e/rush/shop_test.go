package rush_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// The shop rush's sizes: kept modest, so that both engines run in well under a minute on
// a small machine.
const (
	shopRows, shopSeatsPerRow = 8, 12 // 96 seats, 1A to 8L, priced by row
	shopBuyers, shopActions   = 24, 25
	shopHold                  = time.Minute // the sale's hold time: the shortest a sale may have
	shopBlock                 = 10 * time.Second
	shopClockStep             = 3 * time.Second // moved every few milliseconds while the rush runs
	shopPlacePrice            = 45              // a standing place
)

// shopEnv is the shop rush's ledger: one database with three stores on it (three
// servers, each with its own connection pool and, on SQLite, its own writer) that all
// read one test clock, their servers on loopback, the keys, the contract on sale, its
// prices and the customers.
type shopEnv struct {
	db, contract    string
	postgres        bool
	clock           *testclock.Clock
	stores          []*sqlstore.Store
	urls            []string
	logs            *syncBuffer
	organizer, shop string
	prices          map[ledger.Seat]int64
	customers       []int64
	standing        []ledger.StandingSection // the contract's standing sections, priced shopPlacePrice
}

// TestShopRush: 24 buyers race through three servers on one database, for 96 seats,
// each doing 25 things: opening bookings and holding seats, then confirming, freeing a
// seat and confirming, cancelling, or walking away (the hold expires: the clock runs
// a minute every 20 steps while two servers sweep and the next buyer of a seat expires
// it lazily); buying seats outright; releasing bought tickets. Then the journal is
// replayed seat by seat: no seat is ever held or sold while held or sold, every
// transaction a buyer was told of is in it and nothing else is, every confirmed or sold
// ticket paid its seat's price, every freed, cancelled or expired seat went back to the
// pool; the tables and the public ticket list agree with the replay; and `ledger verify`
// passes. On SQLite (a file) and on PostgreSQL.
func TestShopRush(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { shopRush(t, filepath.Join(t.TempDir(), "shop.db"), false) })
	t.Run("postgres", func(t *testing.T) { shopRush(t, pgtest.Database(t), true) })
}

func shopRush(t *testing.T, db string, postgres bool) {
	e := openShop(t, db, postgres, nil)
	told, tally := e.rush(t, (*shopBuyer).act)
	if t.Failed() {
		return
	}
	e.settle(t)
	checkShop(t, e, told, tally, ledger.TxTicketsReserved, ledger.TxTicketReleased, ledger.TxTicketFreed, ledger.TxBookingCancelled,
		ledger.TxBookingConfirmed, ledger.TxHoldExpired)
}

// openShop opens the three stores and their servers, then sets up keys, a contract with
// the standing sections and a sale of one-minute holds, and eight customers.
func openShop(t *testing.T, db string, postgres bool, standing []ledger.StandingSection) *shopEnv {
	t.Helper()
	e := &shopEnv{db: db, postgres: postgres, clock: testclock.New(testclock.Start, shopBlock), logs: &syncBuffer{}, standing: standing}
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server logs:\n%s", e.logs.String())
		}
	})
	for range 3 {
		st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{BlockInterval: shopBlock, Now: e.clock.Now, Logger: logger})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		h, err := server.New(wiring.Services(st), logger)
		if err != nil {
			t.Fatalf("server.New: %v", err)
		}
		srv := httptest.NewUnstartedServer(h)
		srv.Config = server.HTTPServer(h, server.DefaultTimeouts)
		srv.Start()
		t.Cleanup(srv.Close)
		e.stores, e.urls = append(e.stores, st), append(e.urls, srv.URL)
	}
	e.organizer = e.newKey(t, ledger.RoleOrganizer, "promoter")
	e.shop = e.newKey(t, ledger.RoleBoxOffice, "web shop")
	e.openSale(t)
	for i := range 8 {
		cu, err := e.client(t, 0, e.shop).CreateCustomer(context.Background(), ledger.Customer{LastName: fmt.Sprintf("Buyer %d", i)})
		if err != nil {
			t.Fatalf("CreateCustomer: %v", err)
		}
		e.customers = append(e.customers, cu.ID)
	}
	return e
}

func (e *shopEnv) newKey(t *testing.T, role ledger.Role, name string) string {
	t.Helper()
	key, _, err := e.stores[0].Keys.CreateKey(context.Background(), role, name)
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	return key
}

// client is a client of server i with the key.
func (e *shopEnv) client(t *testing.T, i int, key string) *client.Client {
	t.Helper()
	c, err := client.New(e.urls[i%len(e.urls)], key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openSale creates the contract and begins its sale: row r's seats cost 10*r+5, standing
// places shopPlacePrice, holds last shopHold, and the sale ends far beyond the blocks the
// rush's clock runs through.
func (e *shopEnv) openSale(t *testing.T) {
	t.Helper()
	ctx, org := context.Background(), e.client(t, 0, e.organizer)
	var seats []ledger.Seat
	var prices []ledger.SeatPrice
	e.prices = map[ledger.Seat]int64{}
	for row := 1; row <= shopRows; row++ {
		for k := range shopSeatsPerRow {
			s := ledger.Seat{Number: row, Letter: string(rune('A' + k))}
			seats, prices = append(seats, s), append(prices, ledger.SeatPrice{Seat: s, Price: int64(10*row + 5)})
			e.prices[s] = int64(10*row + 5)
		}
	}
	for _, st := range e.standing {
		for _, s := range st.Places() {
			prices = append(prices, ledger.SeatPrice{Seat: s, Price: shopPlacePrice})
			e.prices[s] = shopPlacePrice
		}
	}
	c, _, err := org.CreateContract(ctx, "Shop Hall", seats, e.standing...)
	if err != nil {
		t.Fatalf("CreateContract: %v", err)
	}
	e.contract = c.Address
	info, err := org.Info(ctx)
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	d := ledger.SaleDetails{Name: "The Shop Rush", Organiser: "Promoter", Time: e.clock.Now().Add(90 * 24 * time.Hour).Unix(),
		EndOfSale: info.Height + 100000, HoldTime: ledger.Duration(shopHold)}
	if _, err := org.BeginSale(ctx, e.contract, prices, d); err != nil {
		t.Fatalf("BeginSale: %v", err)
	}
}

// shopTold is what a buyer was told by a successful answer: the transaction, its
// journal kind, the booking, the seats, and for a sale or confirmation the holder and
// the total charged.
type shopTold struct {
	kind, hash, holder string
	booking            int64
	seats              []ledger.Seat
	total              int64
}

// shopTally counts the answers of the rush by what they were.
type shopTally map[string]int

// rush runs the buyers through the three servers, each doing act shopActions times,
// while the clock runs and two servers sweep expired holds; it returns what the buyers
// were told and the tally of answers.
func (e *shopEnv) rush(t *testing.T, act func(*shopBuyer, *testing.T)) ([]shopTold, shopTally) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	var background sync.WaitGroup
	background.Add(3)
	go func() { defer background.Done(); e.runClock(ctx) }()
	for _, st := range e.stores[1:] {
		go func() { defer background.Done(); st.Bookings.ExpireHoldsEvery(ctx, 20*time.Millisecond) }()
	}
	var mu sync.Mutex
	var told []shopTold
	tally := shopTally{}
	var wg sync.WaitGroup
	for i := range shopBuyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &shopBuyer{e: e, c: e.client(t, i, e.shop), rng: rand.New(rand.NewPCG(uint64(i), 12)),
				name: fmt.Sprintf("walk-in-%d", i), tally: shopTally{}}
			for range shopActions {
				act(b, t)
			}
			mu.Lock()
			defer mu.Unlock()
			told = append(told, b.told...)
			for k, n := range b.tally {
				tally[k] += n
			}
		}()
	}
	wg.Wait()
	stop()
	background.Wait()
	t.Logf("answers: %v", tally)
	return told, tally
}

// runClock moves the clock on by shopClockStep every 5 ms until ctx ends: a hold lasts
// about 20 steps.
func (e *shopEnv) runClock(ctx context.Context) {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			e.clock.Advance(shopClockStep)
		}
	}
}

// settle lets every hold still running pass and sweeps them.
func (e *shopEnv) settle(t *testing.T) {
	t.Helper()
	e.clock.Advance(2 * shopHold)
	for {
		n, err := e.stores[0].Bookings.ExpireHolds(context.Background(), 100)
		if err != nil {
			t.Fatalf("ExpireHolds: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// shopBuyer is one buyer of the rush, on one server with the shop's key: what it was
// told, the tickets it holds (to release some), and its tally of answers.
type shopBuyer struct {
	e     *shopEnv
	c     *client.Client
	rng   *rand.Rand
	name  string
	told  []shopTold
	owned []ledger.ReleaseRequest
	tally shopTally
}

// act does one thing: buy outright (2 in 10), release a ticket (2 in 10), or book.
func (b *shopBuyer) act(t *testing.T) {
	switch n := b.rng.IntN(10); {
	case n < 2:
		b.reserve(t)
	case n < 4:
		b.release(t)
	default:
		b.book(t)
	}
}

// seats picks n different seats at random.
func (b *shopBuyer) seats(n int) []ledger.Seat {
	var out []ledger.Seat
	for len(out) < n {
		s := ledger.Seat{Number: 1 + b.rng.IntN(shopRows), Letter: string(rune('A' + b.rng.IntN(shopSeatsPerRow)))}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// answered tallies an answer: "kind" for a success, "kind: code" for a refusal. A
// refusal whose code is not among those the rules give for the call fails the test.
func (b *shopBuyer) answered(t *testing.T, kind string, err error, codes ...string) bool {
	if err == nil {
		b.tally[kind]++
		return true
	}
	code := ledger.ErrorCode(err)
	b.tally[kind+": "+code]++
	if !slices.Contains(codes, code) {
		t.Errorf("%s %s: %v (code %s)", b.name, kind, err, code)
	}
	return false
}

func (b *shopBuyer) reserve(t *testing.T) {
	seats := b.seats(1 + b.rng.IntN(2))
	p, err := b.c.Reserve(context.Background(), b.e.contract, issuer.Request{Seats: seats, Sender: b.name})
	if !b.answered(t, ledger.TxTicketsReserved, err, ledger.EREFUSED) {
		return
	}
	b.told = append(b.told, shopTold{kind: ledger.TxTicketsReserved, hash: p.TransactionHash, holder: p.Holder, seats: seats, total: p.Total})
	for _, s := range seats {
		b.owned = append(b.owned, ledger.ReleaseRequest{Seat: s, Sender: b.name})
	}
}

// release gives back one of the tickets the buyer bought or confirmed.
func (b *shopBuyer) release(t *testing.T) {
	if len(b.owned) == 0 {
		return
	}
	k := b.rng.IntN(len(b.owned))
	r := b.owned[k]
	b.owned = slices.Delete(b.owned, k, k+1)
	rc, err := b.c.Release(context.Background(), b.e.contract, r)
	if b.answered(t, ledger.TxTicketReleased, err) {
		b.told = append(b.told, shopTold{kind: ledger.TxTicketReleased, hash: rc.TransactionHash, seats: []ledger.Seat{r.Seat}})
	}
}

// book opens a booking for a customer, holds one to three seats, and then confirms (4
// in 10), frees one seat and confirms the rest (2 in 10), cancels (2 in 10), or walks
// away and lets the hold expire. A hold refused (a seat taken) cancels the empty
// booking or leaves it.
func (b *shopBuyer) book(t *testing.T) {
	ctx := context.Background()
	customer := b.e.customers[b.rng.IntN(len(b.e.customers))]
	bk, err := b.c.NewBooking(ctx, b.e.contract, customer)
	if !b.answered(t, "booking_opened", err) {
		return
	}
	seats := b.seats(1 + b.rng.IntN(3))
	rc, err := b.c.Hold(ctx, bk.ID, ledger.HoldSeats("", seats...))
	if !b.answered(t, ledger.TxTicketsHeld, err, ledger.EREFUSED) {
		if b.rng.IntN(2) == 0 {
			b.cancel(t, bk.ID)
		}
		return
	}
	b.told = append(b.told, shopTold{kind: ledger.TxTicketsHeld, hash: rc.TransactionHash, booking: bk.ID, seats: seats})
	switch n := b.rng.IntN(10); {
	case n < 4:
		b.confirm(t, bk.ID, customer, seats)
	case n < 6:
		if b.free(t, bk.ID, seats[0]) && len(seats) > 1 {
			b.confirm(t, bk.ID, customer, seats[1:])
		} else {
			b.cancel(t, bk.ID)
		}
	case n < 8:
		b.cancel(t, bk.ID)
	}
}

// confirm confirms the booking: refused (409) once its hold has passed.
func (b *shopBuyer) confirm(t *testing.T, id, customer int64, seats []ledger.Seat) {
	p, err := b.c.ConfirmBooking(context.Background(), id, issuer.ConfirmRequest{})
	if !b.answered(t, ledger.TxBookingConfirmed, err, ledger.ECONFLICT) {
		return
	}
	b.told = append(b.told, shopTold{kind: ledger.TxBookingConfirmed, hash: p.TransactionHash, booking: id, holder: p.Holder,
		seats: seats, total: p.Total})
	for _, s := range seats {
		b.owned = append(b.owned, ledger.ReleaseRequest{Seat: s, Sender: ledger.BookingSender(customer)})
	}
}

// free frees one held seat: refused (409) once the hold has passed.
func (b *shopBuyer) free(t *testing.T, id int64, seat ledger.Seat) bool {
	rc, err := b.c.Free(context.Background(), id, seat)
	if !b.answered(t, ledger.TxTicketFreed, err, ledger.ECONFLICT) {
		return false
	}
	b.told = append(b.told, shopTold{kind: ledger.TxTicketFreed, hash: rc.TransactionHash, booking: id, seats: []ledger.Seat{seat}})
	return true
}

// cancel cancels the booking: refused (409) once its hold has passed.
func (b *shopBuyer) cancel(t *testing.T, id int64) {
	rc, err := b.c.Cancel(context.Background(), id)
	if b.answered(t, ledger.TxBookingCancelled, err, ledger.ECONFLICT) {
		b.told = append(b.told, shopTold{kind: ledger.TxBookingCancelled, hash: rc.TransactionHash, booking: id})
	}
}

// syncBuffer is a log sink safe for the servers' goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(b.buf.String())
}
