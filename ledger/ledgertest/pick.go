package ledgertest

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// testPickStanding: a contract with a standing section shows it, and places are held by
// quantity (the lowest free first) until none remain, then refused saying how many do;
// a seated pick takes adjacent seats; an unknown section is not found.
func testPickStanding(t *testing.T, b Backend) {
	o, bo := b.Organizer, b.BoxOffice
	pit := ledger.StandingSection{Section: "Pit", Capacity: 4}
	c, _, err := o.Service.CreateContract(o.Ctx, venue, parseSeats(t, "1A", "2A", "3A"), pit)
	must(t, err, "CreateContract with a standing section")
	got, err := b.Anonymous.Service.Contract(b.Anonymous.Ctx, c.Address)
	must(t, err, "Contract")
	if got.SeatCount != 7 || len(got.Standing) != 1 || got.Standing[0] != pit {
		t.Fatalf("contract = %+v, want 7 seats and the standing section %v", got, pit)
	}
	all := ledger.ContractSeats(parseSeats(t, "1A", "2A", "3A"), []ledger.StandingSection{pit})
	_, err = o.Service.BeginSale(o.Ctx, c.Address, flatPrices(all, 500), details(t, b, 10))
	must(t, err, "BeginSale")
	first := emptyBooking(t, b, c.Address)
	rc, err := bookings(t, bo).HoldBest(bo.Ctx, first.ID, ledger.Pick{Section: "Pit", Quantity: 3})
	must(t, err, "HoldBest in the standing section")
	if s := seatList(rc.Booking.Seats()); s != "Pit/1 Pit/2 Pit/3" || rc.Kind != ledger.TxTicketsHeld {
		t.Errorf("held %s (%s), want Pit/1 Pit/2 Pit/3", s, rc.Kind)
	}
	rc, err = bo.Bookings.HoldBest(bo.Ctx, first.ID, ledger.Pick{Quantity: 2, PriceLevel: 500, Section: ""})
	must(t, err, "HoldBest anywhere at a price level")
	if s := seatList(rc.Booking.Seats()); s != "1A 2A Pit/1 Pit/2 Pit/3" {
		t.Errorf("booking holds %s, want 1A 2A beside the places", s)
	}
	second := emptyBooking(t, b, c.Address)
	_, err = bo.Bookings.HoldBest(bo.Ctx, second.ID, ledger.Pick{Section: "Pit", Quantity: 2})
	wantCode(t, err, ledger.EREFUSED, "picking more places than remain")
	if !strings.Contains(ledger.ErrorMessage(err), "Only 1 place remains") {
		t.Errorf("refusal %q does not say how many remain", ledger.ErrorMessage(err))
	}
	_, err = bo.Bookings.HoldBest(bo.Ctx, second.ID, ledger.Pick{Section: "Balcony", Quantity: 1})
	wantCode(t, err, ledger.ENOTFOUND, "picking in an unknown section")
	_, err = bo.Bookings.HoldBest(bo.Ctx, second.ID, ledger.Pick{Section: "Pit"})
	wantCode(t, err, ledger.EINVALID, "picking no places")
}

// emptyBooking has the box office open a booking for a new customer on the contract.
func emptyBooking(t *testing.T, b Backend, address string) ledger.Booking {
	t.Helper()
	bo := b.BoxOffice
	bk, err := bookings(t, bo).NewBooking(bo.Ctx, address, createCustomer(t, bo, person(t)).ID)
	must(t, err, "NewBooking")
	return bk
}

func seatList(seats []ledger.Seat) string {
	var out []string
	for _, s := range seats {
		out = append(out, s.String())
	}
	return strings.Join(out, " ")
}
