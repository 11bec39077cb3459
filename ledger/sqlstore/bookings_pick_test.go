package sqlstore_test

import (
	"errors"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// openPicking is a store with a contract of the seats and standing sections on sale,
// every seat at the price prices gives it (10 when nil).
func openPicking(t *testing.T, seats []string, standing []ledger.StandingSection, prices func(ledger.Seat) int64) *bookingEnv {
	t.Helper()
	e := openEnv(t)
	b := &bookingEnv{env: e, org: e.actor(t, ledger.RoleOrganizer, "promoter")}
	c, _, err := e.store.Contracts.CreateContract(b.org, "Festival Park", parseSeats(t, seats...), standing...)
	mustNil(t, err, "CreateContract")
	b.contract = c.Address
	all := ledger.ContractSeats(parseSeats(t, seats...), standing)
	sp := flatPrices(all, 10)
	for i := range sp {
		if prices != nil {
			sp[i].Price = prices(sp[i].Seat)
		}
	}
	_, err = e.store.Contracts.BeginSale(b.org, b.contract, sp, e.details(t, 2000))
	mustNil(t, err, "BeginSale")
	return b
}

// newBooking opens an empty booking for a new customer.
func (b *bookingEnv) newBooking(t *testing.T) int64 {
	t.Helper()
	bk, err := b.store.Bookings.NewBooking(b.org, b.contract, b.customer(t))
	mustNil(t, err, "NewBooking")
	return bk.ID
}

// pick holds the pick for a new booking and returns the seats held, as text.
func (b *bookingEnv) pick(t *testing.T, p ledger.Pick) []string {
	t.Helper()
	rc, err := b.store.Bookings.HoldBest(b.org, b.newBooking(t), p)
	mustNil(t, err, "HoldBest")
	return seatTexts(rc.Booking.Seats())
}

func seatTexts(seats []ledger.Seat) []string {
	out := make([]string, len(seats))
	for i, s := range seats {
		out[i] = s.String()
	}
	return out
}

func wantSeats(t *testing.T, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("held %v, want %v", got, want)
	}
}

// verifyClean fails unless ledger verify finds nothing.
func (b *bookingEnv) verifyClean(t *testing.T) {
	t.Helper()
	rep, err := b.store.Journal.Verify(b.admin)
	mustNil(t, err, "Verify")
	if !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

var standing5 = []ledger.StandingSection{{Section: "Standing", Capacity: 5}}

// TestStandingContract: a contract's standing section is places numbered 1 to its
// capacity after the seats, shown on the contract and in the ticket list, and the
// journal replays it (verify checks the table against it).
func TestStandingContract(t *testing.T) {
	b := openPicking(t, []string{"1A", "1B"}, standing5, nil)
	c, err := b.store.Contracts.Contract(b.org, b.contract)
	mustNil(t, err, "Contract")
	if c.SeatCount != 7 || len(c.Standing) != 1 || c.Standing[0] != standing5[0] {
		t.Fatalf("contract = %+v, want 7 seats and standing %v", c, standing5)
	}
	tickets, err := b.store.Contracts.Tickets(b.org, b.contract)
	mustNil(t, err, "Tickets")
	if got := tickets[2].Seat.String() + " " + tickets[6].Seat.String(); got != "Standing/1 Standing/5" {
		t.Errorf("places listed as %s", got)
	}
	b.verifyClean(t)
	db := b.rawDB(t)
	mustExec(t, db, `UPDATE standing_sections SET capacity = 6 WHERE contract = ?`, b.contract)
	rep, err := b.store.Journal.Verify(b.admin)
	mustNil(t, err, "Verify")
	if rep.OK {
		t.Errorf("verify passed with a standing section's capacity changed behind the journal")
	}
}

// TestStandingContractRefused: a standing section must have a name, a capacity, be
// given once and hold no seat.
func TestStandingContractRefused(t *testing.T) {
	e := openEnv(t)
	for _, tt := range []struct {
		seats    []string
		standing []ledger.StandingSection
		part     string
	}{
		{nil, []ledger.StandingSection{{Section: "", Capacity: 3}}, "needs a name"},
		{nil, []ledger.StandingSection{{Section: "Pit", Capacity: 0}}, "capacity from 1"},
		{nil, []ledger.StandingSection{{Section: "Pit", Capacity: 3}, {Section: "pit", Capacity: 2}}, "given twice"},
		{[]string{"Pit/1A"}, []ledger.StandingSection{{Section: "Pit", Capacity: 3}}, "either seated or standing"},
		{nil, nil, "at least one seat or standing section"},
	} {
		_, _, err := e.store.Contracts.CreateContract(e.admin, "Festival Park", parseSeats(t, tt.seats...), tt.standing...)
		wantMessage(t, err, ledger.EINVALID, tt.part)
	}
	c, _, err := e.store.Contracts.CreateContract(e.admin, "Field", nil, ledger.StandingSection{Section: "Field", Capacity: 3})
	mustNil(t, err, "CreateContract of a standing section alone")
	if c.SeatCount != 3 {
		t.Errorf("seat count %d, want 3", c.SeatCount)
	}
}

// TestHoldBestStanding: places go by quantity, the lowest free first; the last ones
// are refused saying how many remain, and the journal replays.
func TestHoldBestStanding(t *testing.T) {
	b := openPicking(t, []string{"1A"}, standing5, nil)
	wantSeats(t, b.pick(t, ledger.Pick{Section: "Standing", Quantity: 3}), "Standing/1", "Standing/2", "Standing/3")
	_, err := b.store.Bookings.HoldBest(b.org, b.newBooking(t), ledger.Pick{Section: "Standing", Quantity: 3})
	wantMessage(t, err, ledger.EREFUSED, `Only 2 places remain in section "Standing": 3 were asked for`)
	wantSeats(t, b.pick(t, ledger.Pick{Section: "Standing", Quantity: 2}), "Standing/4", "Standing/5")
	_, err = b.store.Bookings.HoldBest(b.org, b.newBooking(t), ledger.Pick{Section: "Standing", Quantity: 1})
	wantMessage(t, err, ledger.EREFUSED, `No places remain in section "Standing"`)
	b.verifyClean(t)
}

// TestHoldBestExpiredHold: places held by a booking whose hold has passed are free for
// a pick, which journals that booking's expiry first.
func TestHoldBestExpiredHold(t *testing.T) {
	b := openPicking(t, nil, standing5, nil)
	first := b.newBooking(t)
	_, err := b.store.Bookings.HoldBest(b.org, first, ledger.Pick{Section: "Standing", Quantity: 5})
	mustNil(t, err, "HoldBest")
	b.clock.Advance(ledger.DefaultHoldTime + time.Second)
	wantSeats(t, b.pick(t, ledger.Pick{Section: "Standing", Quantity: 2}), "Standing/1", "Standing/2")
	bk, err := b.store.Bookings.Booking(b.org, first)
	mustNil(t, err, "Booking")
	if bk.State != ledger.BookingExpired {
		t.Errorf("the first booking is %s, want expired", bk.State)
	}
	b.verifyClean(t)
}

// hall is two rows of five seats in the Stalls, A nearer the stage, and a Circle row.
var hall = []string{"Stalls/1A", "Stalls/2A", "Stalls/3A", "Stalls/4A", "Stalls/5A",
	"Stalls/1B", "Stalls/2B", "Stalls/3B", "Stalls/4B", "Stalls/5B", "Circle/1A", "Circle/2A", "Circle/3A"}

func hallPrices(s ledger.Seat) int64 {
	if s.Section == "Circle" {
		return 2000
	}
	return 3500
}

// TestHoldBestSeated: adjacent seats in the best row that has room, else the fewest
// groups; a price level picks among the seats of that base price.
func TestHoldBestSeated(t *testing.T) {
	b := openPicking(t, hall, nil, hallPrices)
	_, err := b.store.Bookings.Hold(b.org, b.newBooking(t), ledger.HoldSeats("", parseSeats(t, "Stalls/2A")...))
	mustNil(t, err, "Hold")
	wantSeats(t, b.pick(t, ledger.Pick{Section: "Stalls", Quantity: 4}), "Stalls/1B", "Stalls/2B", "Stalls/3B", "Stalls/4B")
	wantSeats(t, b.pick(t, ledger.Pick{Section: "Stalls", Quantity: 3}), "Stalls/3A", "Stalls/4A", "Stalls/5A")
	wantSeats(t, b.pick(t, ledger.Pick{PriceLevel: 2000, Quantity: 2}), "Circle/1A", "Circle/2A")
	wantSeats(t, b.pick(t, ledger.Pick{PriceLevel: 3500, Quantity: 2}), "Stalls/1A", "Stalls/5B")
	_, err = b.store.Bookings.HoldBest(b.org, b.newBooking(t), ledger.Pick{Quantity: 2})
	wantMessage(t, err, ledger.EREFUSED, "Only 1 seat remains in this sale: 2 were asked for")
	b.verifyClean(t)
}

// TestHoldBestRefusals: bad picks are refused in words, and nothing is held or
// journaled.
func TestHoldBestRefusals(t *testing.T) {
	b := openPicking(t, hall, standing5, hallPrices)
	id := b.newBooking(t)
	before := countRows(t, b.env, "journal")
	for _, tt := range []struct {
		p          ledger.Pick
		code, part string
	}{
		{ledger.Pick{Section: "Standing"}, ledger.EINVALID, "Quantity must be at least 1"},
		{ledger.Pick{Section: "Standing", Quantity: 501}, ledger.EINVALID, "at most 500"},
		{ledger.Pick{Section: "Stalls/1", Quantity: 1}, ledger.EINVALID, "Invalid section"},
		{ledger.Pick{Quantity: 1, PriceLevel: -5}, ledger.EINVALID, "Price level"},
		{ledger.Pick{Section: "Balcony", Quantity: 1}, ledger.ENOTFOUND, `no section "Balcony"`},
		{ledger.Pick{Section: "Circle", PriceLevel: 3500, Quantity: 1}, ledger.ENOTFOUND, `no seats in section "Circle" at price level 3500`},
		{ledger.Pick{Section: "Standing", Quantity: 6}, ledger.EREFUSED, "Only 5 places remain"},
		{ledger.Pick{Section: "Standing", Quantity: 1, Type: "child"}, ledger.EREFUSED, `Ticket type "child" is not offered`},
	} {
		_, err := b.store.Bookings.HoldBest(b.org, id, tt.p)
		wantMessage(t, err, tt.code, tt.part)
	}
	_, err := b.store.Bookings.HoldBest(b.org, 999999, ledger.Pick{Section: "Standing", Quantity: 1})
	wantCode(t, err, ledger.ENOTFOUND)
	if after := countRows(t, b.env, "journal"); after != before {
		t.Errorf("journal grew from %d to %d rows on refusals", before, after)
	}
	bk, err := b.store.Bookings.Booking(b.org, id)
	mustNil(t, err, "Booking")
	if len(bk.Tickets) != 0 {
		t.Errorf("refused picks held %v", bk.Seats())
	}
}

// TestHoldBestStandingRush: many buyers pick from one small standing section at once;
// exactly its capacity is held, no place twice, every other buyer refused in words, and
// the journal replays.
func TestHoldBestStandingRush(t *testing.T) {
	const capacity, buyers = 40, 64 // two places each: twenty buyers get them
	b := openPicking(t, nil, []ledger.StandingSection{{Section: "Pit", Capacity: capacity}}, nil)
	ids := make([]int64, buyers)
	for i := range ids {
		ids[i] = b.newBooking(t)
	}
	var mu sync.Mutex
	held := map[string]int64{}
	var wg sync.WaitGroup
	errs := make(chan error, buyers)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc, err := b.store.Bookings.HoldBest(b.org, id, ledger.Pick{Section: "Pit", Quantity: 2})
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, s := range rc.Booking.Seats() {
				if other, dup := held[s.String()]; dup {
					errs <- fmt.Errorf("place %s held by bookings %d and %d", s, other, id)
				}
				held[s.String()] = id
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		var le *ledger.Error
		if !errors.As(err, &le) || le.Code != ledger.EREFUSED {
			t.Errorf("a buyer got %v, want a refusal or the places", err)
		}
	}
	if len(held) != capacity {
		t.Errorf("%d places held, want exactly the capacity %d", len(held), capacity)
	}
	if n := countRows(t, b.env, "tickets", "booking <> 0"); n != capacity {
		t.Errorf("%d ticket rows held, want %d", n, capacity)
	}
	b.verifyClean(t)
}

// BenchmarkHoldBestStadium picks four adjacent seats of one 7,500-seat stand of the
// stadium, and two places of a 5,000-place standing section beside it, per iteration,
// each for a new booking (opening the booking is not timed). It reports the process's
// CPU time per pick too, which a shared machine disturbs less than the wall time.
func BenchmarkHoldBestStadium(b *testing.B) {
	venue, prices := loadStadium(b)
	e := openEnv(b)
	lawn := ledger.StandingSection{Section: "Lawn", Capacity: 5000}
	c, _, err := e.store.Contracts.CreateContract(e.admin, venue.Name, venue.Seats, lawn)
	mustNil(b, err, "CreateContract")
	for _, s := range lawn.Places() {
		prices = append(prices, ledger.SeatPrice{Seat: s, Price: 3900})
	}
	_, err = e.store.Contracts.BeginSale(e.admin, c.Address, prices, e.details(b, 1<<20))
	mustNil(b, err, "BeginSale")
	cu, err := e.store.Customers.CreateCustomer(e.admin, seedPerson())
	mustNil(b, err, "CreateCustomer")
	for _, pick := range []ledger.Pick{{Section: "North Lower", Quantity: 4}, {Section: "Lawn", Quantity: 2}} {
		b.Run(pick.Section, func(b *testing.B) {
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				bk, err := e.store.Bookings.NewBooking(e.admin, c.Address, cu.ID)
				mustNil(b, err, "NewBooking")
				b.StartTimer()
				before := processCPU()
				if _, err := e.store.Bookings.HoldBest(e.admin, bk.ID, pick); err != nil {
					b.Fatal(err)
				}
				cpu += processCPU() - before
			}
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/pick")
		})
	}
}

// processCPU is the CPU time this process has used so far, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
