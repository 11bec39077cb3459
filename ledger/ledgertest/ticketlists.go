package ledgertest

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ticketLists returns the party's ticket list, skipping the case when the backend has
// none.
func ticketLists(t *testing.T, p Party) ledger.TicketLists {
	t.Helper()
	if p.TicketLists == nil || p.Bookings == nil {
		t.Skip("this backend lists no shop tickets")
	}
	return p.TicketLists
}

// listSeats reads every page of the query (pages of two) and returns the seats in order.
func listSeats(t *testing.T, p Party, q ledger.TicketQuery) string {
	t.Helper()
	q.Limit = 2
	var seats []string
	for range 10 {
		page, err := ticketLists(t, p).ListTickets(p.Ctx, q)
		must(t, err, "ListTickets")
		for _, tk := range page.Tickets {
			seats = append(seats, tk.Seat.String())
		}
		if page.Next == "" {
			if page.Total != len(seats) {
				t.Errorf("%+v: total %d, listed %d", q, page.Total, len(seats))
			}
			return strings.Join(seats, " ")
		}
		q.After = page.Next
	}
	t.Fatalf("%+v: more than 10 pages", q)
	return ""
}

// testTicketList: a SECURE booking holding 1A and 1B, 2A sold outright: the list filters
// by status, format and owner, sorts both ways, pages by key, includes the relations, and
// shows the customer only to a key that may see them.
func testTicketList(t *testing.T, b Backend) {
	c := onSale(t, b, 400, "1A", "1B", "2A", "2B")
	bo := b.BoxOffice
	cu := createCustomer(t, bo, person(t))
	bk, err := bookings(t, bo).OpenBooking(bo.Ctx, ledger.BookingRequest{Contract: c.Address, Customer: cu.ID, Format: ledger.FormatSecure})
	must(t, err, "OpenBooking")
	_, err = bo.Bookings.Hold(bo.Ctx, bk.ID, ledger.HoldSeats("", parseSeats(t, "1A", "1B")...))
	must(t, err, "Hold")
	walkIn, _ := order(t, "walk-in", "", "2A")
	_, err = bo.Seller.Reserve(bo.Ctx, c.Address, walkIn)
	must(t, err, "Reserve")
	for _, tc := range []struct {
		q    ledger.TicketQuery
		want string
	}{
		{ledger.TicketQuery{Contract: c.Address}, "1A 1B 2A 2B"},
		{ledger.TicketQuery{Contract: c.Address, Desc: true}, "2B 2A 1B 1A"},
		{ledger.TicketQuery{Contract: c.Address, Status: ledger.TicketReserved, Format: ledger.FormatSecure}, "1A 1B"},
		{ledger.TicketQuery{Contract: c.Address, Status: ledger.TicketIssued}, "2A"},
		{ledger.TicketQuery{Owner: cu.ID, Desc: true}, "1B 1A"},
		{ledger.TicketQuery{Contract: c.Address, SortBy: ledger.SortStatus, Desc: true}, "2A 1B 1A 2B"},
	} {
		if got := listSeats(t, bo, tc.q); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.q, got, tc.want)
		}
	}
	q := ledger.TicketQuery{Booking: bk.ID, With: []string{ledger.RelBookingCustomer, ledger.RelSale}}
	page, err := bo.TicketLists.ListTickets(bo.Ctx, q)
	must(t, err, "ListTickets with relations")
	if len(page.Tickets) != 2 || page.Tickets[0].With == nil || page.Tickets[0].With.BookingCustomer == nil ||
		page.Tickets[0].With.BookingCustomer.Email != cu.Email || page.Tickets[0].With.Booking.ID != bk.ID || page.Tickets[0].With.Sale == nil {
		t.Errorf("with relations: %+v", page.Tickets)
	}
	_, err = ticketLists(t, b.Scanner).ListTickets(b.Scanner.Ctx, q)
	wantCode(t, err, ledger.EFORBIDDEN, "a scanner key asking for customers")
	_, err = ticketLists(t, b.Anonymous).ListTickets(b.Anonymous.Ctx, ledger.TicketQuery{Booking: bk.ID})
	wantCode(t, err, ledger.EUNAUTHORIZED, "no key")
	_, err = bo.TicketLists.ListTickets(bo.Ctx, ledger.TicketQuery{Booking: bk.ID, SortBy: "secret"})
	wantCode(t, err, ledger.EINVALID, "an unknown sort column")
	_, err = ticketLists(t, b.Rival).ListTickets(b.Rival.Ctx, ledger.TicketQuery{Contract: c.Address})
	wantCode(t, err, ledger.EFORBIDDEN, "another organizer's contract")
}
