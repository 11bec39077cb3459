package ledgertest

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// testTicketTypes: a sale begun with ticket types reads back with them; a hold and a
// pick name a type and hold at its price (the seat's price over the price level's over
// every seat's); the booking and the confirmation show and charge those prices; an
// unknown type is refused (EREFUSED).
func testTicketTypes(t *testing.T, b Backend) {
	o, bo := b.Organizer, b.BoxOffice
	c := create(t, b, "1A", "1B", "2A")
	d := details(t, b, 10)
	d.TicketTypes = []ledger.TicketType{{Name: "reduced", Prices: []ledger.TypePrice{ledger.PriceForAll(100),
		ledger.PriceForLevel(300, 250), ledger.PriceForSeat(parseSeats(t, "1A")[0], 150)}}}
	prices := []ledger.SeatPrice{{Seat: parseSeats(t, "1A")[0], Price: 400}, {Seat: parseSeats(t, "1B")[0], Price: 300},
		{Seat: parseSeats(t, "2A")[0], Price: 400}}
	_, err := o.Service.BeginSale(o.Ctx, c.Address, prices, d)
	must(t, err, "BeginSale with ticket types")
	got, err := b.Anonymous.Service.Contract(b.Anonymous.Ctx, c.Address)
	must(t, err, "Contract")
	if len(got.Sale.Details.TicketTypes) != 1 || len(got.Sale.Details.TicketTypes[0].Prices) != 3 {
		t.Fatalf("the sale reads back with types %+v", got.Sale.Details.TicketTypes)
	}
	bk, err := bookings(t, bo).NewBooking(bo.Ctx, c.Address, createCustomer(t, bo, person(t)).ID)
	must(t, err, "NewBooking")
	_, err = bo.Bookings.Hold(bo.Ctx, bk.ID, ledger.HoldSeats("senior", parseSeats(t, "1A")...))
	wantCode(t, err, ledger.EREFUSED, "an unknown ticket type")
	_, err = bo.Bookings.Hold(bo.Ctx, bk.ID, []ledger.HoldItem{{Seat: parseSeats(t, "1A")[0], Type: "reduced"}, {Seat: parseSeats(t, "1B")[0]}})
	must(t, err, "Hold as types")
	rc, err := bo.Bookings.HoldBest(bo.Ctx, bk.ID, ledger.Pick{Quantity: 1, Type: "reduced"})
	must(t, err, "HoldBest as a type")
	want := map[string]struct {
		typ   string
		price int64
	}{"1A": {"reduced", 150}, "1B": {"", 300}, "2A": {"reduced", 100}}
	for _, tk := range rc.Booking.Tickets {
		if w := want[tk.Seat.String()]; tk.Type != w.typ || tk.Price != w.price {
			t.Errorf("held %s as %q at %d, want %q at %d", tk.Seat, tk.Type, tk.Price, w.typ, w.price)
		}
	}
	out, err := bo.Bookings.Confirm(bo.Ctx, bk.ID, confirmOrder(t, rc.Booking, "1A", "1B", "2A"))
	must(t, err, "Confirm")
	if out.Total != 550 || rc.Booking.Total != 550 {
		t.Errorf("confirmed for %d (booking total %d), want 550", out.Total, rc.Booking.Total)
	}
}
