package rush_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, to read the rush's file

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// seatState is a seat in the replay of the journal: available (zero), held by a
// booking, or sold to a holder.
type seatState struct {
	booking int64
	holder  string
}

// shopReplay is the contract's journal replayed in seq order: the state of every seat
// (for one seat that is its commit order: each write holds the seat's row until it
// commits), the transactions by hash with their kinds, and how many of each kind.
type shopReplay struct {
	seats  map[ledger.Seat]seatState
	kinds  map[string]string // by hash
	totals map[string]int64  // a sale's or confirmation's total, by hash
	counts map[string]int
	peak   map[string]int // the most places of each standing section taken at once
}

// checkShop replays the journal, compares it with what the buyers were told, and the
// tables and the public ticket list with the replay; then `ledger verify`. Each of the
// raced kinds must be in the journal: a rush without them tells nothing.
func checkShop(t *testing.T, e *shopEnv, told []shopTold, tally shopTally, raced ...string) *shopReplay {
	t.Helper()
	db := e.rawDB(t)
	r := replayShop(t, e, db)
	t.Logf("journal: %v", r.counts)
	for _, c := range told {
		if kind, ok := r.kinds[c.hash]; !ok || kind != c.kind {
			t.Errorf("a buyer was told %s %v in %s; the journal has %q there", c.kind, c.seats, c.hash, kind)
		}
		if (c.kind == ledger.TxTicketsReserved || c.kind == ledger.TxBookingConfirmed) && (c.total != r.totals[c.hash] || c.total != priceOf(e, c.seats)) {
			t.Errorf("%s %v charged %d, the journal says %d, the seats cost %d", c.kind, c.seats, c.total, r.totals[c.hash], priceOf(e, c.seats))
		}
	}
	for _, kind := range []string{ledger.TxTicketsReserved, ledger.TxTicketReleased, ledger.TxTicketsHeld, ledger.TxTicketFreed,
		ledger.TxBookingCancelled, ledger.TxBookingConfirmed} {
		if r.counts[kind] != tally[kind] {
			t.Errorf("the journal holds %d %s; buyers were told of %d", r.counts[kind], kind, tally[kind])
		}
	}
	for _, kind := range raced {
		if r.counts[kind] == 0 {
			t.Errorf("no %s in the rush: it raced too little to tell", kind)
		}
	}
	checkShopTables(t, e, db, r)
	checkShopList(t, e, r)
	rep, err := e.client(t, 2, e.organizer).Verify(context.Background())
	if err != nil || !rep.OK {
		t.Errorf("ledger verify = %+v, %v", rep, err)
	}
	return r
}

func priceOf(e *shopEnv, seats []ledger.Seat) int64 {
	var sum int64
	for _, s := range seats {
		sum += e.prices[s]
	}
	return sum
}

// replayShop reads the contract's journal in seq order and replays it seat by seat,
// failing the test on a seat held or sold while held or sold, returned by a booking not
// holding it, confirmed by another booking, released by someone not holding it, or sold
// at another price than its seat's.
func replayShop(t *testing.T, e *shopEnv, db *shopDB) *shopReplay {
	t.Helper()
	rows, err := db.query(`SELECT hash, kind, body FROM journal WHERE contract = ? ORDER BY seq`, e.contract)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	r := &shopReplay{seats: map[ledger.Seat]seatState{}, kinds: map[string]string{}, totals: map[string]int64{}, counts: map[string]int{},
		peak: map[string]int{}}
	for rows.Next() {
		var hash, kind, body string
		if err := rows.Scan(&hash, &kind, &body); err != nil {
			t.Fatal(err)
		}
		var b ledger.TxBody
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			t.Fatal(err)
		}
		r.kinds[hash] = kind
		r.counts[kind]++
		if err := r.apply(e, kind, hash, b.Effect); err != nil {
			t.Errorf("journal %s (%s): %v", hash, kind, err)
		}
		if err := r.countPlaces(e); err != nil {
			t.Errorf("after %s (%s): %v", hash, kind, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return r
}

// apply replays one transaction of the journal.
func (r *shopReplay) apply(e *shopEnv, kind, hash string, effect json.RawMessage) error {
	switch kind {
	case ledger.TxTicketsHeld:
		var eff ledger.TicketsHeldEffect
		return firstErr(json.Unmarshal(effect, &eff), r.hold(e, eff))
	case ledger.TxTicketFreed, ledger.TxBookingCancelled, ledger.TxHoldExpired:
		var eff ledger.BookingSeatsEffect
		return firstErr(json.Unmarshal(effect, &eff), r.giveBack(eff))
	case ledger.TxBookingConfirmed:
		var eff ledger.BookingConfirmedEffect
		err := firstErr(json.Unmarshal(effect, &eff), r.sell(e, eff.Booking, eff.TicketsReservedEffect))
		r.totals[hash] = eff.Total
		return err
	case ledger.TxTicketsReserved:
		var eff ledger.TicketsReservedEffect
		err := firstErr(json.Unmarshal(effect, &eff), r.sell(e, 0, eff))
		r.totals[hash] = eff.Total
		return err
	case ledger.TxTicketReleased:
		var eff ledger.TicketReleasedEffect
		if err := json.Unmarshal(effect, &eff); err != nil {
			return err
		}
		if got := r.seats[eff.Seat]; got.holder != eff.Holder || eff.Holder == "" {
			return fmt.Errorf("%s released by %s while it is %+v", eff.Seat, eff.Holder, got)
		}
		delete(r.seats, eff.Seat)
	}
	return nil
}

// hold takes the held seats out of the pool for the booking.
func (r *shopReplay) hold(e *shopEnv, eff ledger.TicketsHeldEffect) error {
	for _, tk := range eff.Tickets {
		if got := r.seats[tk.Seat]; got != (seatState{}) {
			return fmt.Errorf("booking %d holds %s while it is %+v", eff.Booking, tk.Seat, got)
		}
		if tk.Price != e.prices[tk.Seat] {
			return fmt.Errorf("booking %d holds %s at %d, its price is %d", eff.Booking, tk.Seat, tk.Price, e.prices[tk.Seat])
		}
		r.seats[tk.Seat] = seatState{booking: eff.Booking}
	}
	return nil
}

// giveBack returns the booking's seats to the pool.
func (r *shopReplay) giveBack(eff ledger.BookingSeatsEffect) error {
	for _, tk := range eff.Tickets {
		if got := r.seats[tk.Seat]; got != (seatState{booking: eff.Booking}) {
			return fmt.Errorf("booking %d returns %s while it is %+v", eff.Booking, tk.Seat, got)
		}
		delete(r.seats, tk.Seat)
	}
	return nil
}

// sell sells the seats to the effect's holder: available seats for an outright sale
// (booking 0), the booking's held seats for a confirmation; each at its seat's price.
func (r *shopReplay) sell(e *shopEnv, booking int64, eff ledger.TicketsReservedEffect) error {
	var total int64
	for _, tk := range eff.Tickets {
		if got := r.seats[tk.Seat]; got != (seatState{booking: booking}) || eff.Holder == "" {
			return fmt.Errorf("%s sold to %q (booking %d) while it is %+v", tk.Seat, eff.Holder, booking, got)
		}
		if tk.Price != e.prices[tk.Seat] {
			return fmt.Errorf("%s sold at %d, its price is %d", tk.Seat, tk.Price, e.prices[tk.Seat])
		}
		r.seats[tk.Seat] = seatState{holder: eff.Holder}
		total += tk.Price
	}
	if eff.Total != total || eff.Amount < total {
		return fmt.Errorf("total %d paid %d for tickets costing %d", eff.Total, eff.Amount, total)
	}
	return nil
}

// countPlaces counts the places of each standing section taken (held or sold), keeps the
// peak, and fails beyond the section's capacity.
func (r *shopReplay) countPlaces(e *shopEnv) error {
	for _, st := range e.standing {
		n := 0
		for seat := range r.seats {
			if seat.Section == st.Section {
				n++
			}
		}
		r.peak[st.Section] = max(r.peak[st.Section], n)
		if n > st.Capacity {
			return fmt.Errorf("%d places of %s taken, beyond its capacity %d", n, st.Section, st.Capacity)
		}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkShopTables compares the tickets table with the replay (holder, paid, no seat
// still tied to a booking) and finds no booking still open with seats.
func checkShopTables(t *testing.T, e *shopEnv, db *shopDB, r *shopReplay) {
	t.Helper()
	rows, err := db.query(`SELECT s.section, s.number, s.letter, t.holder, t.paid, t.booking, t.owner IS NULL
		FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx WHERE t.contract = ? AND t.sale = 1`, e.contract)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var seat ledger.Seat
		var holder string
		var paid, booking int64
		var free bool
		if err := rows.Scan(&seat.Section, &seat.Number, &seat.Letter, &holder, &paid, &booking, &free); err != nil {
			t.Fatal(err)
		}
		n++
		want := r.seats[seat]
		if want.booking != 0 || (free && booking != 0) {
			t.Errorf("seat %s still held after every hold passed: replay %+v, booking column %d", seat, want, booking)
		}
		if free != (want.holder == "") || (!free && (holder != want.holder || paid != e.prices[seat])) {
			t.Errorf("seat %s: table says holder %q paid %d (free %v); the replay says %+v at %d", seat, holder, paid, free, want, e.prices[seat])
		}
	}
	if n != len(e.prices) {
		t.Errorf("%d tickets, want %d", n, len(e.prices))
	}
	var open int
	if err := db.row(`SELECT COUNT(*) FROM bookings WHERE contract = ? AND state = 'open' AND expires_at <> 0`, e.contract).Scan(&open); err != nil || open != 0 {
		t.Errorf("%d bookings with holds still open after the sweep (%v)", open, err)
	}
}

// checkShopList reads the public ticket list through the third server: no seat shows as
// held, and the seats for sale are exactly those the replay left in the pool.
func checkShopList(t *testing.T, e *shopEnv, r *shopReplay) {
	t.Helper()
	list, err := e.client(t, 2, "").Tickets(context.Background(), e.contract)
	if err != nil {
		t.Fatalf("Tickets: %v", err)
	}
	for _, tk := range list {
		if tk.Available() != (r.seats[tk.Seat] == seatState{}) || tk.Status != "" || (!tk.Available() && tk.Address != r.seats[tk.Seat].holder) {
			t.Errorf("the public list shows %+v; the replay says %+v", tk, r.seats[tk.Seat])
		}
	}
}

// shopDB reads the rush's database directly, with ? placeholders on either engine.
type shopDB struct {
	db       *sql.DB
	postgres bool
}

func (e *shopEnv) rawDB(t *testing.T) *shopDB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+e.db+"?_pragma=busy_timeout(10000)"
	if e.postgres {
		driver, dsn = "pgx", e.db
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &shopDB{db: db, postgres: e.postgres}
}

// bind numbers the placeholders for PostgreSQL.
func (d *shopDB) bind(q string) string {
	if !d.postgres {
		return q
	}
	var out strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&out, "$%d", n)
			continue
		}
		out.WriteRune(c)
	}
	return out.String()
}

func (d *shopDB) query(q string, args ...any) (*sql.Rows, error) {
	return d.db.QueryContext(context.Background(), d.bind(q), args...)
}

func (d *shopDB) row(q string, args ...any) *sql.Row {
	return d.db.QueryRowContext(context.Background(), d.bind(q), args...)
}
