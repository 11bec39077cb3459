package ledgertest

import (
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// bookings returns the party's bookings, skipping the case when the backend keeps none.
func bookings(t *testing.T, p Party) ledger.Bookings {
	t.Helper()
	if p.Bookings == nil || p.Customers == nil {
		t.Skip("this backend keeps no bookings")
	}
	return p.Bookings
}

// openBooking has the box office open a booking for a new customer on the contract and
// hold the seats (text form).
func openBooking(t *testing.T, b Backend, address string, seats ...string) ledger.Booking {
	t.Helper()
	bo := b.BoxOffice
	cu := createCustomer(t, bo, person(t))
	bk, err := bookings(t, bo).NewBooking(bo.Ctx, address, cu.ID)
	must(t, err, "NewBooking")
	rc, err := bo.Bookings.Hold(bo.Ctx, bk.ID, ledger.HoldSeats("", parseSeats(t, seats...)...))
	must(t, err, "Hold")
	return rc.Booking
}

// confirmOrder is the order confirming the booking's seats (text form), freshly sealed.
func confirmOrder(t *testing.T, bk ledger.Booking, seats ...string) ledger.Order {
	o, _ := order(t, ledger.BookingSender(bk.Customer), "", seats...)
	return o
}

func testBookingHoldAndConfirm(t *testing.T, b Backend) {
	c := onSale(t, b, 400, "1A", "1B", "2A")
	bo := b.BoxOffice
	bk := openBooking(t, b, c.Address, "1A", "1B")
	if bk.State != ledger.BookingOpen || len(bk.Tickets) != 2 || bk.Total != 800 || bk.Tickets[0].Status != ledger.TicketReserved || bk.Expires.IsZero() {
		t.Fatalf("held booking = %+v", bk)
	}
	walkIn, _ := order(t, "walk-in", "", "1A")
	_, err := bo.Seller.Reserve(bo.Ctx, c.Address, walkIn)
	wantCode(t, err, ledger.EREFUSED, "Reserve of a held seat")
	_, err = bo.Bookings.Free(bo.Ctx, bk.ID, parseSeats(t, "1B")[0])
	must(t, err, "Free")
	rc, err := bo.Bookings.Confirm(bo.Ctx, bk.ID, confirmOrder(t, bk, "1A"))
	must(t, err, "Confirm")
	if rc.Kind != ledger.TxBookingConfirmed || rc.Total != 400 || rc.Holder == "" || rc.Holder == ledger.ZeroAddress {
		t.Errorf("Confirm = %+v", rc)
	}
	got, err := bo.Bookings.Booking(bo.Ctx, bk.ID)
	must(t, err, "Booking")
	if got.State != ledger.BookingConfirmed || len(got.Tickets) != 1 || got.Tickets[0].Status != ledger.TicketIssued {
		t.Errorf("confirmed booking = %+v", got)
	}
	tickets, err := b.Anonymous.Service.Tickets(b.Anonymous.Ctx, c.Address)
	must(t, err, "Tickets")
	if tickets[0].Address != rc.Holder || tickets[1].Address != ledger.ZeroAddress {
		t.Errorf("ticket list %+v: want 1A issued to %s, 1B available", tickets, rc.Holder)
	}
	_, err = bo.Bookings.Confirm(bo.Ctx, bk.ID, confirmOrder(t, bk, "1A"))
	wantCode(t, err, ledger.ECONFLICT, "confirming twice")
	_, err = bo.Bookings.Free(bo.Ctx, bk.ID, parseSeats(t, "1A")[0])
	wantCode(t, err, ledger.ECONFLICT, "freeing an issued ticket")
}

func testBookingRefused(t *testing.T, b Backend) {
	c := onSale(t, b, 400, "1A", "1B")
	bo := b.BoxOffice
	bk := openBooking(t, b, c.Address, "1A")
	_, err := bo.Bookings.Booking(bo.Ctx, 987654321)
	wantCode(t, err, ledger.ENOTFOUND, "an unknown booking")
	other := openBooking(t, b, c.Address, "1B")
	_, err = bo.Bookings.Hold(bo.Ctx, other.ID, ledger.HoldSeats("", parseSeats(t, "1A")...))
	wantCode(t, err, ledger.EREFUSED, "holding a held seat")
	_, err = bo.Bookings.Hold(bo.Ctx, other.ID, ledger.HoldSeats("", parseSeats(t, "9Z")...))
	wantCode(t, err, ledger.EREFUSED, "holding a seat the hall lacks")
	_, err = bookings(t, b.Rival).Hold(b.Rival.Ctx, bk.ID, ledger.HoldSeats("", parseSeats(t, "1B")...))
	wantCode(t, err, ledger.EFORBIDDEN, "another organizer's contract")
	_, err = bookings(t, b.Scanner).Booking(b.Scanner.Ctx, bk.ID)
	wantCode(t, err, ledger.EFORBIDDEN, "a scanner key")
	_, err = bookings(t, b.Anonymous).Booking(b.Anonymous.Ctx, bk.ID)
	wantCode(t, err, ledger.EUNAUTHORIZED, "no key")
	_, err = bo.Bookings.Cancel(bo.Ctx, bk.ID)
	must(t, err, "Cancel")
	_, err = bo.Bookings.Confirm(bo.Ctx, bk.ID, confirmOrder(t, bk, "1A"))
	wantCode(t, err, ledger.ECONFLICT, "confirming a cancelled booking")
	walkIn, _ := order(t, "walk-in", "", "1A")
	_, err = bo.Seller.Reserve(bo.Ctx, c.Address, walkIn)
	must(t, err, "Reserve a seat of the cancelled booking")
}

func testBookingExpiry(t *testing.T, b Backend) {
	o := b.Organizer
	c := create(t, b, "1A")
	d := details(t, b, 1000)
	d.HoldTime = ledger.Duration(time.Minute)
	_, err := o.Service.BeginSale(o.Ctx, c.Address, flatPrices(parseSeats(t, "1A"), 400), d)
	must(t, err, "BeginSale")
	bk := openBooking(t, b, c.Address, "1A")
	info, err := b.Anonymous.Service.Info(b.Anonymous.Ctx)
	must(t, err, "Info")
	b.AdvanceBlocks(int(time.Minute/time.Duration(info.BlockInterval)) + 1)
	bo := b.BoxOffice
	_, err = bo.Bookings.Confirm(bo.Ctx, bk.ID, confirmOrder(t, bk, "1A"))
	wantCode(t, err, ledger.ECONFLICT, "confirming after the hold")
	got, err := bo.Bookings.Booking(bo.Ctx, bk.ID)
	must(t, err, "Booking")
	if got.State != ledger.BookingExpired {
		t.Errorf("booking after its hold: %s, want expired", got.State)
	}
	openBooking(t, b, c.Address, "1A") // the expired hold gives its seat to the next
}

// testBookingFormat: a booking opened SECURE reads SECURE, before and after a hold; one
// opened without a format is PDF; a format other than PDF or SECURE is EINVALID.
func testBookingFormat(t *testing.T, b Backend) {
	c := onSale(t, b, 400, "1A", "1B")
	bo := b.BoxOffice
	cu := createCustomer(t, bo, person(t))
	_, err := bookings(t, bo).OpenBooking(bo.Ctx, ledger.BookingRequest{Contract: c.Address, Customer: cu.ID, Format: "paper"})
	wantCode(t, err, ledger.EINVALID, "a format other than PDF or SECURE")
	bk, err := bo.Bookings.OpenBooking(bo.Ctx, ledger.BookingRequest{Contract: c.Address, Customer: cu.ID, Format: ledger.FormatSecure})
	must(t, err, "OpenBooking")
	_, err = bo.Bookings.Hold(bo.Ctx, bk.ID, ledger.HoldSeats("", parseSeats(t, "1A")...))
	must(t, err, "Hold")
	got, err := bo.Bookings.Booking(bo.Ctx, bk.ID)
	must(t, err, "Booking")
	if bk.Format != ledger.FormatSecure || got.Format != ledger.FormatSecure {
		t.Errorf("SECURE booking reads %q when opened, %q when held", bk.Format, got.Format)
	}
	if plain := openBooking(t, b, c.Address, "1B"); plain.Format != ledger.FormatPDF {
		t.Errorf("a booking opened without a format is %q, want PDF", plain.Format)
	}
}
