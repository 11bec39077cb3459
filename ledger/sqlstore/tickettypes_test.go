package sqlstore_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// typedSeats are the hall of the ticket type tests, and their base prices.
var typedSeats = []struct {
	seat  string
	price int64
}{{"Stalls/1A", 3000}, {"Stalls/1B", 3000}, {"Stalls/1C", 2000}, {"Balcony/2A", 2000}, {"Balcony/2B", 1500}}

// typedSale is the sale of the ticket type tests: "reduced" priced for every seat (1000),
// the 2000 price level (1200), the Balcony section (900) and seat Stalls/1A (2500); and
// "child" for the 1500 price level alone (500).
func typedSale(t *testing.T) ([]ledger.SeatPrice, ledger.SaleDetails, *bookingEnv) {
	t.Helper()
	e := openEnv(t)
	b := &bookingEnv{env: e, org: e.actor(t, ledger.RoleOrganizer, "promoter")}
	var texts []string
	var prices []ledger.SeatPrice
	for _, s := range typedSeats {
		texts = append(texts, s.seat)
		prices = append(prices, ledger.SeatPrice{Seat: parseSeats(t, s.seat)[0], Price: s.price})
	}
	b.contract = e.create(t, b.org, texts...).Address
	d := e.details(t, 2000)
	d.TicketTypes = []ledger.TicketType{
		{Name: "reduced", Prices: []ledger.TypePrice{ledger.PriceForAll(1000), ledger.PriceForLevel(2000, 1200),
			ledger.PriceForSection("Balcony", 900), ledger.PriceForSeat(parseSeats(t, "Stalls/1A")[0], 2500)}},
		{Name: "child", Prices: []ledger.TypePrice{ledger.PriceForLevel(1500, 500)}},
	}
	return prices, d, b
}

// holdTyped opens a booking for a new customer and holds the items, given as "seat" or
// "seat=type".
func (b *bookingEnv) holdTyped(t *testing.T, items ...string) (ledger.Booking, error) {
	t.Helper()
	bk, err := b.store.Bookings.NewBooking(b.org, b.contract, b.customer(t))
	mustNil(t, err, "NewBooking")
	var hold []ledger.HoldItem
	for _, it := range items {
		seat, typ, _ := strings.Cut(it, "=")
		hold = append(hold, ledger.HoldItem{Seat: parseSeats(t, seat)[0], Type: typ})
	}
	rc, err := b.store.Bookings.Hold(b.org, bk.ID, hold)
	if err != nil {
		return bk, err
	}
	return rc.Booking, nil
}

// TestTicketTypePrices: a held ticket costs its type's most specific price for the seat
// (seat, then section, then price level, then every seat), or the seat's base price
// without a type; the booking shows each type and the total; confirming charges those
// prices and journals the types; releasing refunds what was paid; verify replays it.
func TestTicketTypePrices(t *testing.T) {
	prices, d, b := typedSale(t)
	_, err := b.store.Contracts.BeginSale(b.org, b.contract, prices, d)
	mustNil(t, err, "BeginSale")
	if c := mustContract(t, b.env, b.contract); len(c.Sale.Details.TicketTypes) != 2 || c.Sale.Details.TicketTypes[1].Name != "child" {
		t.Fatalf("the sale read shows types %+v", c.Sale.Details.TicketTypes)
	}
	bk, err := b.holdTyped(t, "Stalls/1A=reduced", "Stalls/1B=reduced", "Stalls/1C=reduced", "Balcony/2A=reduced", "Balcony/2B=child")
	mustNil(t, err, "Hold")
	want := map[string]int64{"Stalls/1A": 2500, "Stalls/1B": 1000, "Stalls/1C": 1200, "Balcony/2A": 900, "Balcony/2B": 500}
	for _, tk := range bk.Tickets {
		if tk.Price != want[tk.Seat.String()] || tk.Type == "" {
			t.Errorf("held %s as %q at %d, want %d", tk.Seat, tk.Type, tk.Price, want[tk.Seat.String()])
		}
	}
	if bk.Total != 6100 {
		t.Errorf("booking total %d, want 6100", bk.Total)
	}
	out, err := b.store.Bookings.Confirm(b.org, bk.ID, confirmOrder(t, bk, "Balcony/2B", "Stalls/1A", "Stalls/1B", "Stalls/1C", "Balcony/2A"))
	mustNil(t, err, "Confirm")
	if out.Total != 6100 || out.Prices[0] != 500 || out.Types[0] != "child" || out.Types[1] != "reduced" {
		t.Fatalf("Confirm = total %d, prices %v, types %v", out.Total, out.Prices, out.Types)
	}
	var eff ledger.BookingConfirmedEffect
	mustNil(t, json.Unmarshal(out.Effect, &eff), "the confirmation's effect")
	if eff.Tickets[0].Type != "child" || eff.Tickets[0].Price != 500 {
		t.Errorf("the journal records %+v", eff.Tickets[0])
	}
	rel, err := b.store.Selling.Release(b.org, b.contract, ledger.ReleaseRequest{Seat: parseSeats(t, "Balcony/2A")[0],
		Sender: ledger.BookingSender(bk.Customer)})
	mustNil(t, err, "Release")
	if rel.Refund != 900 {
		t.Errorf("refund %d, want the 900 paid", rel.Refund)
	}
	mustNil(t, b.reserve(t, "Balcony/2A"), "Reserve the released seat")
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// TestTicketTypeRefusals: a type the sale lacks, and a type with no price for the seat,
// are refused in words, holding nothing; a freed typed seat is held again at its base
// price; a sale without types refuses any type.
func TestTicketTypeRefusals(t *testing.T) {
	prices, d, b := typedSale(t)
	_, err := b.store.Contracts.BeginSale(b.org, b.contract, prices, d)
	mustNil(t, err, "BeginSale")
	_, err = b.holdTyped(t, "Stalls/1B", "Stalls/1C=vip")
	wantMessage(t, err, ledger.EREFUSED, `"vip" is not offered in this sale; it offers reduced, child`)
	_, err = b.holdTyped(t, "Balcony/2B=child", "Stalls/1A=child")
	wantMessage(t, err, ledger.EREFUSED, `"child" is not offered for seat Stalls/1A`)
	_, err = b.holdTyped(t, "Stalls/1A=Reduced ")
	wantCode(t, err, ledger.EINVALID)
	bk, err := b.holdTyped(t, "Stalls/1B", "Stalls/1C", "Balcony/2B=child") // every seat above was left available
	mustNil(t, err, "Hold after the refusals")
	rc, err := b.store.Bookings.Free(b.org, bk.ID, parseSeats(t, "Balcony/2B")[0])
	mustNil(t, err, "Free")
	var eff ledger.BookingSeatsEffect
	mustNil(t, json.Unmarshal(rc.Effect, &eff), "the free's effect")
	if eff.Tickets[0].Type != "child" || eff.Tickets[0].Price != 500 {
		t.Errorf("the free journals %+v", eff.Tickets[0])
	}
	again, err := b.holdTyped(t, "Balcony/2B")
	mustNil(t, err, "Hold the freed seat without a type")
	if again.Tickets[0].Type != "" || again.Total != 1500 {
		t.Errorf("held again: %+v", again)
	}
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
	plain := openBookings(t, 0, "1A")
	bk, err = plain.store.Bookings.NewBooking(plain.org, plain.contract, plain.customer(t))
	mustNil(t, err, "NewBooking")
	_, err = plain.store.Bookings.Hold(plain.org, bk.ID, ledger.HoldSeats("reduced", parseSeats(t, "1A")...))
	wantMessage(t, err, ledger.EREFUSED, "this sale has no ticket types")
}

// TestVerifyTicketTypes: verify reports a held type's price changed behind the store's
// back, and a type the journal never held.
func TestVerifyTicketTypes(t *testing.T) {
	prices, d, b := typedSale(t)
	_, err := b.store.Contracts.BeginSale(b.org, b.contract, prices, d)
	mustNil(t, err, "BeginSale")
	_, err = b.holdTyped(t, "Stalls/1C=reduced", "Stalls/1B")
	mustNil(t, err, "Hold")
	raw := b.rawDB(t)
	mustExec(t, raw, `UPDATE tickets SET type_price = 1 WHERE ticket_type = 'reduced'`)
	mustExec(t, raw, `UPDATE tickets SET ticket_type = 'child', type_price = 500 WHERE ticket_type = ''`)
	rep := mustVerify(t, b.env)
	all := strings.Join(rep.Problems, "\n")
	if rep.OK || !strings.Contains(all, "seat Stalls/1C: type_price is 1 in the table, 1200") ||
		!strings.Contains(all, `seat Stalls/1B: ticket_type is child in the table,`) {
		t.Fatalf("verify after tampering: %v", rep.Problems)
	}
}

// TestTicketTypePick: a pick of a ticket type chooses among the seats the type is
// offered for, holds them at the type's prices, and refuses in words a type the sale
// lacks or offers for none of the seats the pick may take.
func TestTicketTypePick(t *testing.T) {
	prices, d, b := typedSale(t)
	_, err := b.store.Contracts.BeginSale(b.org, b.contract, prices, d)
	mustNil(t, err, "BeginSale")
	pick := func(p ledger.Pick) (ledger.Booking, error) {
		bk, err := b.store.Bookings.NewBooking(b.org, b.contract, b.customer(t))
		mustNil(t, err, "NewBooking")
		rc, err := b.store.Bookings.HoldBest(b.org, bk.ID, p)
		return rc.Booking, err
	}
	_, err = pick(ledger.Pick{Quantity: 1, Type: "vip"})
	wantMessage(t, err, ledger.EREFUSED, `"vip" is not offered in this sale`)
	_, err = pick(ledger.Pick{Quantity: 1, Section: "Stalls", Type: "child"})
	wantMessage(t, err, ledger.EREFUSED, `"child" is not offered for the seats free in section "Stalls"`)
	_, err = pick(ledger.Pick{Quantity: 2, Type: "child"})
	wantMessage(t, err, ledger.EREFUSED, "Only 1 seat remains")
	bk, err := pick(ledger.Pick{Quantity: 1, Type: "child"})
	mustNil(t, err, "HoldBest child")
	if len(bk.Tickets) != 1 || bk.Tickets[0].Seat.String() != "Balcony/2B" || bk.Tickets[0].Type != "child" || bk.Total != 500 {
		t.Fatalf("picked child: %+v", bk)
	}
	bk, err = pick(ledger.Pick{Quantity: 2, Section: "Stalls", Type: "reduced"})
	mustNil(t, err, "HoldBest reduced")
	want := map[string]int64{"Stalls/1A": 2500, "Stalls/1B": 1000, "Stalls/1C": 1200}
	for _, tk := range bk.Tickets {
		if tk.Type != "reduced" || tk.Price != want[tk.Seat.String()] {
			t.Errorf("picked %s as %q at %d, want reduced at %d", tk.Seat, tk.Type, tk.Price, want[tk.Seat.String()])
		}
	}
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}
