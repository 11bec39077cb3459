package sqlstore_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// bookingEnv is a store with a contract on sale for bookings: its seats and the
// organizer's context.
type bookingEnv struct {
	*env
	org      context.Context
	contract string
}

func openBookings(t *testing.T, hold time.Duration, seats ...string) *bookingEnv {
	t.Helper()
	e := openEnv(t)
	b := &bookingEnv{env: e, org: e.actor(t, ledger.RoleOrganizer, "promoter")}
	b.contract = e.create(t, b.org, seats...).Address
	d := e.details(t, 2000)
	d.HoldTime = ledger.Duration(hold)
	_, err := e.store.Contracts.BeginSale(b.org, b.contract, flatPrices(parseSeats(t, seats...), 10), d)
	mustNil(t, err, "BeginSale")
	return b
}

// customer creates a customer and returns its id.
func (b *bookingEnv) customer(t *testing.T) int64 {
	t.Helper()
	c, err := b.store.Customers.CreateCustomer(b.org, seedPerson())
	mustNil(t, err, "CreateCustomer")
	return c.ID
}

// book opens a booking for a new customer and holds the seats.
func (b *bookingEnv) book(t *testing.T, seats ...string) ledger.Booking {
	t.Helper()
	bk, err := b.store.Bookings.NewBooking(b.org, b.contract, b.customer(t))
	mustNil(t, err, "NewBooking")
	rc, err := b.store.Bookings.Hold(b.org, bk.ID, ledger.HoldSeats("", parseSeats(t, seats...)...))
	mustNil(t, err, "Hold")
	return rc.Booking
}

// confirmOrder is the order confirming the booking's seats.
func confirmOrder(t *testing.T, bk ledger.Booking, seats ...string) ledger.Order {
	o := ledger.Order{Sender: ledger.BookingSender(bk.Customer)}
	for _, s := range seats {
		o.Tickets = append(o.Tickets, sealed(t, s))
	}
	return o
}

func (b *bookingEnv) reserve(t *testing.T, seat string) error {
	_, err := b.store.Selling.Reserve(b.org, b.contract, ledger.Order{Sender: "walk-in", Tickets: []ledger.SealedTicket{sealed(t, seat)}})
	return err
}

// wantMessage fails unless err has the code and its message contains part.
func wantMessage(t *testing.T, err error, code, part string) {
	t.Helper()
	wantCode(t, err, code)
	if !strings.Contains(ledger.ErrorMessage(err), part) {
		t.Errorf("message %q does not say %q", ledger.ErrorMessage(err), part)
	}
}

// TestBookingFlow walks every ticket status: held seats leave the pool (neither sold
// outright nor held twice), a freed seat returns, confirming issues the held seats as an
// order, confirming twice and freeing an issued ticket are refused in words, releasing
// an issued ticket returns its seat, and the journal replays.
func TestBookingFlow(t *testing.T) {
	b := openBookings(t, 0, "1A", "1B", "1C")
	bk := b.book(t, "1A", "1B")
	if bk.State != ledger.BookingOpen || len(bk.Tickets) != 2 || bk.Tickets[0].Status != ledger.TicketReserved || bk.Total != 20 {
		t.Fatalf("held booking = %+v", bk)
	}
	if want := b.clock.Now().Add(ledger.DefaultHoldTime); !bk.Expires.Equal(want) {
		t.Errorf("expires %v, want %v (the default hold)", bk.Expires, want)
	}
	wantMessage(t, b.reserve(t, "1A"), ledger.EREFUSED, "not available")
	other, err := b.store.Bookings.NewBooking(b.org, b.contract, b.customer(t))
	mustNil(t, err, "NewBooking")
	_, err = b.store.Bookings.Hold(b.org, other.ID, ledger.HoldSeats("", parseSeats(t, "1C", "1B")...))
	wantMessage(t, err, ledger.EREFUSED, "1B not available")
	rc, err := b.store.Bookings.Free(b.org, bk.ID, parseSeats(t, "1B")[0])
	mustNil(t, err, "Free")
	if len(rc.Booking.Tickets) != 1 || rc.Kind != ledger.TxTicketFreed {
		t.Fatalf("after Free: %+v", rc)
	}
	_, err = b.store.Bookings.Confirm(b.org, bk.ID, confirmOrder(t, bk, "1A", "1B"))
	wantMessage(t, err, ledger.ECONFLICT, "not held by booking")
	out, err := b.store.Bookings.Confirm(b.org, bk.ID, confirmOrder(t, bk, "1A"))
	mustNil(t, err, "Confirm")
	if out.Kind != ledger.TxBookingConfirmed || out.Total != 10 || out.Holder == "" {
		t.Fatalf("Confirm = %+v", out)
	}
	got, err := b.store.Bookings.Booking(b.org, bk.ID)
	mustNil(t, err, "Booking")
	if got.State != ledger.BookingConfirmed || len(got.Tickets) != 1 || got.Tickets[0].Status != ledger.TicketIssued {
		t.Fatalf("confirmed booking = %+v", got)
	}
	_, err = b.store.Bookings.Confirm(b.org, bk.ID, confirmOrder(t, bk, "1A"))
	wantMessage(t, err, ledger.ECONFLICT, "already confirmed")
	_, err = b.store.Bookings.Free(b.org, bk.ID, parseSeats(t, "1A")[0])
	wantMessage(t, err, ledger.ECONFLICT, "tickets are issued")
	mustNil(t, b.reserve(t, "1B"), "Reserve the freed seat")
	_, err = b.store.Selling.Release(b.org, b.contract, ledger.ReleaseRequest{Seat: parseSeats(t, "1A")[0], Sender: ledger.BookingSender(bk.Customer)})
	mustNil(t, err, "Release the issued ticket")
	mustNil(t, b.reserve(t, "1A"), "Reserve the released seat")
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// TestBookingRefusals: unknown bookings and seats, empty and cancelled bookings.
func TestBookingRefusals(t *testing.T) {
	b := openBookings(t, 0, "1A", "1B")
	_, err := b.store.Bookings.Hold(b.org, 999, ledger.HoldSeats("", parseSeats(t, "1A")...))
	wantMessage(t, err, ledger.ENOTFOUND, "No booking 999")
	_, err = b.store.Bookings.NewBooking(b.org, b.contract, 0)
	wantCode(t, err, ledger.EINVALID)
	_, err = b.store.Bookings.NewBooking(b.org, b.contract, 12345)
	wantMessage(t, err, ledger.ENOTFOUND, "No customer")
	erased := b.customer(t)
	_, err = b.store.Customers.EraseCustomer(b.org, erased)
	mustNil(t, err, "EraseCustomer")
	_, err = b.store.Bookings.NewBooking(b.org, b.contract, erased)
	wantMessage(t, err, ledger.EREFUSED, "was erased")
	bk, err := b.store.Bookings.NewBooking(b.org, b.contract, b.customer(t))
	mustNil(t, err, "NewBooking")
	_, err = b.store.Bookings.Hold(b.org, bk.ID, ledger.HoldSeats("", parseSeats(t, "9Z")...))
	wantMessage(t, err, ledger.EREFUSED, "Invalid seat 9Z")
	_, err = b.store.Bookings.Confirm(b.org, bk.ID, confirmOrder(t, bk, "1A"))
	wantMessage(t, err, ledger.EREFUSED, "holds no seats")
	_, err = b.store.Bookings.Hold(b.org, bk.ID, ledger.HoldSeats("", parseSeats(t, "1A", "1A")...))
	wantCode(t, err, ledger.EINVALID)
	_, err = b.store.Bookings.Hold(b.org, bk.ID, ledger.HoldSeats("", parseSeats(t, "1A", "1B")...))
	mustNil(t, err, "Hold")
	_, err = b.store.Bookings.Confirm(b.org, bk.ID, ledger.Order{Sender: "someone else", Tickets: confirmOrder(t, bk, "1A", "1B").Tickets})
	wantCode(t, err, ledger.EINVALID)
	rc, err := b.store.Bookings.Cancel(b.org, bk.ID)
	mustNil(t, err, "Cancel")
	if rc.Booking.State != ledger.BookingCancelled || len(rc.Booking.Tickets) != 0 {
		t.Fatalf("cancelled booking = %+v", rc.Booking)
	}
	_, err = b.store.Bookings.Confirm(b.org, bk.ID, confirmOrder(t, bk, "1A", "1B"))
	wantMessage(t, err, ledger.ECONFLICT, "was cancelled")
	mustNil(t, b.reserve(t, "1A"), "Reserve a seat of the cancelled booking")
	scanner := b.actor(t, ledger.RoleScanner, "door")
	_, err = b.store.Bookings.Booking(scanner, bk.ID)
	wantCode(t, err, ledger.EFORBIDDEN)
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// TestBookingExpiry: a hold runs out after the sale's hold time. Confirming afterwards is
// refused in words; the next hold of its seat journals the expiry first (lazily); the
// sweeper journals the others; an outright sale takes seats once swept.
func TestBookingExpiry(t *testing.T) {
	b := openBookings(t, 5*time.Minute, "1A", "1B", "1C")
	late := b.book(t, "1A")
	swept := b.book(t, "1B", "1C")
	if want := b.clock.Now().Add(5 * time.Minute); !late.Expires.Equal(want) {
		t.Errorf("expires %v, want %v (the sale's hold time)", late.Expires, want)
	}
	b.clock.Advance(5 * time.Minute)
	got, err := b.store.Bookings.Booking(b.org, late.ID)
	mustNil(t, err, "Booking")
	if got.State != ledger.BookingExpired || len(got.Tickets) != 0 {
		t.Errorf("booking after its hold = %+v, want expired without tickets", got)
	}
	_, err = b.store.Bookings.Confirm(b.org, late.ID, confirmOrder(t, late, "1A"))
	wantMessage(t, err, ledger.ECONFLICT, "expired at")
	_, err = b.store.Bookings.Hold(b.org, late.ID, ledger.HoldSeats("", parseSeats(t, "1B")...))
	wantMessage(t, err, ledger.ECONFLICT, "expired at")
	b.book(t, "1A") // lazily expires booking `late`
	n, err := b.store.Bookings.ExpireHolds(context.Background(), 100)
	if err != nil || n != 1 {
		t.Fatalf("ExpireHolds = %d, %v; want 1 (booking %d; %d expired lazily)", n, err, swept.ID, late.ID)
	}
	mustNil(t, b.reserve(t, "1B"), "Reserve a swept seat")
	if n, _ := b.store.Bookings.ExpireHolds(context.Background(), 100); n != 0 {
		t.Errorf("ExpireHolds again = %d, want 0", n)
	}
	var kinds int
	mustNil(t, b.rawDB(t).QueryRow(`SELECT COUNT(*) FROM journal WHERE kind = ?`, ledger.TxHoldExpired).Scan(&kinds), "count")
	if kinds != 2 {
		t.Errorf("%d hold_expired transactions, want 2", kinds)
	}
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// TestReserveExpiresHolds: an outright sale of a seat whose booking's hold has passed
// does not wait for the sweeper: it journals that booking's expiry first, then sells the
// seat, and the booking's other seats are back in the pool. A running hold still keeps
// its seats. On PostgreSQL the sale goes through the pipelined group first, which leaves
// such an order to the ordinary write.
func TestReserveExpiresHolds(t *testing.T) {
	b := openBookings(t, 5*time.Minute, "1A", "1B", "1C", "1D")
	bk := b.book(t, "1A", "1B")
	other := b.book(t, "1D")
	wantMessage(t, b.reserve(t, "1A"), ledger.EREFUSED, "1A not available")
	b.clock.Advance(5 * time.Minute)
	mustNil(t, b.reserve(t, "1A"), "Reserve a seat of an expired hold")
	order := ledger.Order{Sender: "walk-in", Tickets: []ledger.SealedTicket{sealed(t, "1D"), sealed(t, "1C")}}
	rc, err := b.store.Selling.Reserve(b.org, b.contract, order)
	mustNil(t, err, "Reserve a free seat and one of an expired hold")
	if rc.Total != 20 {
		t.Errorf("Reserve = %+v, want 2 seats at 10", rc)
	}
	for _, id := range []int64{bk.ID, other.ID} {
		got, err := b.store.Bookings.Booking(b.org, id)
		mustNil(t, err, "Booking")
		if got.State != ledger.BookingExpired {
			t.Errorf("booking after the sale of its seat = %+v, want expired", got)
		}
	}
	want := []string{ledger.TxHoldExpired, ledger.TxTicketsReserved, ledger.TxHoldExpired, ledger.TxTicketsReserved}
	if got := b.journalKinds(t, ledger.TxHoldExpired, ledger.TxTicketsReserved); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("journal kinds %v, want each expiry before its sale: %v", got, want)
	}
	mustNil(t, b.reserve(t, "1B"), "Reserve the expired booking's other seat")
	wantMessage(t, b.reserve(t, "1A"), ledger.EREFUSED, "1A not available")
	if n, err := b.store.Bookings.ExpireHolds(context.Background(), 100); n != 0 || err != nil {
		t.Errorf("ExpireHolds = %d, %v; want nothing left to sweep", n, err)
	}
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// journalKinds returns the kinds of the journal's transactions of kind a or b, in
// journal order.
func (b *bookingEnv) journalKinds(t *testing.T, a, b2 string) []string {
	t.Helper()
	rows, err := b.rawDB(t).Query(`SELECT kind FROM journal WHERE kind IN (?, ?) ORDER BY seq`, a, b2)
	mustNil(t, err, "reading the journal")
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		mustNil(t, rows.Scan(&k), "scan")
		out = append(out, k)
	}
	return out
}

// TestBookingExpiryRace: a hold expiring at the instant its confirmation runs, while
// another buyer holds the same seat and the sweeper runs, never ends both confirmed and
// resold. The clock is set to the expiry at the same time as the three writes start.
func TestBookingExpiryRace(t *testing.T) {
	const rounds = 12
	seats := make([]string, rounds)
	for i := range seats {
		seats[i] = ledger.Seat{Section: "R", Number: i + 1}.String()
	}
	b := openBookings(t, time.Minute, seats...)
	for i, seat := range seats {
		bk := b.book(t, seat)
		rival, err := b.store.Bookings.NewBooking(b.org, b.contract, b.customer(t))
		mustNil(t, err, "NewBooking")
		b.clock.Set(bk.Expires.Add(-time.Nanosecond))
		var confirmErr, holdErr error
		var wg sync.WaitGroup
		wg.Add(4)
		go func() { defer wg.Done(); b.clock.Set(bk.Expires) }()
		go func() {
			defer wg.Done()
			_, confirmErr = b.store.Bookings.Confirm(b.org, bk.ID, confirmOrder(t, bk, seat))
		}()
		go func() {
			defer wg.Done()
			_, holdErr = b.store.Bookings.Hold(b.org, rival.ID, ledger.HoldSeats("", parseSeats(t, seat)...))
		}()
		go func() { defer wg.Done(); b.store.Bookings.ExpireHolds(context.Background(), 10) }()
		wg.Wait()
		if confirmErr == nil && holdErr == nil {
			t.Fatalf("round %d: seat %s confirmed and held again", i, seat)
		}
		for _, err := range []error{confirmErr, holdErr} {
			if c := ledger.ErrorCode(err); err != nil && c != ledger.ECONFLICT && c != ledger.EREFUSED {
				t.Fatalf("round %d: %v", i, err)
			}
		}
		got, err := b.store.Bookings.Booking(b.org, bk.ID)
		mustNil(t, err, "Booking")
		if (confirmErr == nil) != (got.State == ledger.BookingConfirmed) {
			t.Fatalf("round %d: confirm error %v, booking %s", i, confirmErr, got.State)
		}
		b.clock.Advance(time.Second)
	}
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// TestExpireHoldsEvery: the sweeper `serve` runs expires a booking whose hold passed
// without anyone asking for its seats, and stops with its context.
func TestExpireHoldsEvery(t *testing.T) {
	b := openBookings(t, time.Minute, "1A")
	bk := b.book(t, "1A")
	b.clock.Advance(time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.store.Bookings.ExpireHoldsEvery(ctx, 5*time.Millisecond); close(done) }()
	raw := b.rawDB(t)
	state := ""
	for deadline := time.Now().Add(20 * time.Second); state != ledger.BookingExpired && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		mustNil(t, raw.QueryRow(`SELECT state FROM bookings WHERE id = ?`, bk.ID).Scan(&state), "reading the state")
	}
	cancel()
	<-done
	if state != ledger.BookingExpired {
		t.Fatalf("booking state %q after the sweeper ran, want expired", state)
	}
	mustNil(t, b.reserve(t, "1A"), "Reserve the swept seat")
}

// TestBookingReadDuringExpiry: a booking read while its expiry is being journaled is
// either open with its seats or expired, never open without seats (which the issuer
// would refuse as holding nothing, 400, where the expiry is a 409): the booking's row and
// its tickets are read on one snapshot. The reads go through a second store whose clock
// is a moment behind the sweeping store's (another server; a read that began before the
// expiry), so they see the booking open until the expiry is committed.
func TestBookingReadDuringExpiry(t *testing.T) {
	const rounds, readers = 24, 4
	seats := make([]string, rounds)
	for i := range seats {
		seats[i] = ledger.Seat{Section: "R", Number: i + 1}.String()
	}
	b := openBookings(t, time.Minute, seats...)
	behind := testclock.New(b.clock.Now(), testInterval)
	other := mustOpen(t, b.db, sqlstore.Options{Now: behind.Now})
	for i, seat := range seats {
		bk := b.book(t, seat)
		b.clock.Set(bk.Expires)
		behind.Set(bk.Expires.Add(-time.Millisecond))
		var wg sync.WaitGroup
		var swept atomic.Bool
		wg.Add(readers)
		for range readers {
			go func() {
				defer wg.Done()
				for !swept.Load() {
					got, err := other.Bookings.Booking(b.org, bk.ID)
					if err != nil || (got.State == ledger.BookingOpen && len(got.Tickets) == 0) {
						t.Errorf("round %d: booking read open without its seat while it expired: %+v, %v", i, got, err)
						return
					}
				}
			}()
		}
		_, err := b.store.Bookings.ExpireHolds(context.Background(), 10)
		swept.Store(true)
		wg.Wait()
		mustNil(t, err, "ExpireHolds")
		if t.Failed() {
			return
		}
	}
}
