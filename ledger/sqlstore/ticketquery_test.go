package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// listEnv is a sale of six seats in every status: 1A issued by Ann's SECURE booking,
// 1B held by her second SECURE booking; 2A held by Bob's PDF booking; 1C sold outright and checked in; 1D and
// 2B available. Prices differ per seat.
type listEnv struct {
	*env
	org, scanner     context.Context
	contract         string
	ann, bob         int64
	annBook, bobBook ledger.Booking
}

var listPrices = map[string]int64{"1A": 50, "1B": 40, "1C": 30, "1D": 20, "2A": 60, "2B": 10}

func openList(t *testing.T) *listEnv {
	t.Helper()
	e := openEnv(t)
	l := &listEnv{env: e, org: e.actor(t, ledger.RoleOrganizer, "promoter"), scanner: e.actor(t, ledger.RoleScanner, "door")}
	seats := []string{"1A", "1B", "1C", "1D", "2A", "2B"}
	l.contract = e.create(t, l.org, seats...).Address
	var prices []ledger.SeatPrice
	for _, s := range parseSeats(t, seats...) {
		prices = append(prices, ledger.SeatPrice{Seat: s, Price: listPrices[s.String()]})
	}
	_, err := e.store.Contracts.BeginSale(l.org, l.contract, prices, e.details(t, 2000))
	mustNil(t, err, "BeginSale")
	l.ann, l.bob = l.customer(t), l.customer(t)
	l.annBook = l.book(t, l.ann, ledger.FormatSecure, "1A")
	_, err = e.store.Bookings.Confirm(l.org, l.annBook.ID, confirmOrder(t, l.annBook, "1A"))
	mustNil(t, err, "Confirm")
	l.book(t, l.ann, ledger.FormatSecure, "1B")
	l.bobBook = l.book(t, l.bob, "", "2A")
	_, err = e.store.Selling.Reserve(l.org, l.contract, ledger.Order{Sender: "walk-in", Tickets: []ledger.SealedTicket{sealed(t, "1C")}})
	mustNil(t, err, "Reserve")
	mustExec(t, e.rawDB(t), `UPDATE tickets SET checked_in_at = 1 WHERE contract = ? AND idx = 2`, l.contract)
	return l
}

func (l *listEnv) customer(t *testing.T) int64 {
	t.Helper()
	cu, err := l.store.Customers.CreateCustomer(l.org, seedPerson())
	mustNil(t, err, "CreateCustomer")
	return cu.ID
}

// book opens a booking of the format for the customer and holds the seats.
func (l *listEnv) book(t *testing.T, customer int64, format string, seats ...string) ledger.Booking {
	t.Helper()
	bk, err := l.store.Bookings.OpenBooking(l.org, ledger.BookingRequest{Contract: l.contract, Customer: customer, Format: format})
	mustNil(t, err, "OpenBooking")
	rc, err := l.store.Bookings.Hold(l.org, bk.ID, ledger.HoldSeats("", parseSeats(t, seats...)...))
	mustNil(t, err, "Hold")
	return rc.Booking
}

// seats lists the query's tickets as the organizer, reading every page of limit, and
// returns their seats in order; it checks each page's total.
func (l *listEnv) seats(t *testing.T, q ledger.TicketQuery) []string {
	t.Helper()
	var out []string
	for range 20 {
		page, err := l.store.TicketLists.ListTickets(l.org, q)
		mustNil(t, err, "ListTickets")
		for _, tk := range page.Tickets {
			out = append(out, tk.Seat.String())
		}
		if page.Total < len(out) || page.Next == "" && page.Total != len(out) {
			t.Fatalf("%+v: total %d after %v", q, page.Total, out)
		}
		if page.Next == "" {
			return out
		}
		q.After = page.Next
	}
	t.Fatalf("%+v: more than 20 pages", q)
	return nil
}

// TestTicketListFilters: each filter finds exactly its tickets, in seat order.
func TestTicketListFilters(t *testing.T) {
	l := openList(t)
	all := ledger.TicketQuery{Contract: l.contract}
	for _, tc := range []struct {
		name string
		q    ledger.TicketQuery
		want string
	}{
		{"contract", all, "1A 1B 1C 1D 2A 2B"},
		{"available", ledger.TicketQuery{Contract: l.contract, Status: ledger.TicketAvailable}, "1D 2B"},
		{"reserved", ledger.TicketQuery{Contract: l.contract, Status: ledger.TicketReserved}, "1B 2A"},
		{"issued", ledger.TicketQuery{Contract: l.contract, Status: ledger.TicketIssued}, "1A"},
		{"checked in", ledger.TicketQuery{Contract: l.contract, Status: ledger.TicketCheckedIn}, "1C"},
		{"SECURE", ledger.TicketQuery{Contract: l.contract, Format: "secure"}, "1A 1B"},
		{"PDF", ledger.TicketQuery{Contract: l.contract, Format: ledger.FormatPDF}, "1C 1D 2A 2B"},
		{"owner", ledger.TicketQuery{Owner: l.ann}, "1A 1B"},
		{"owner reserved", ledger.TicketQuery{Owner: l.ann, Status: ledger.TicketReserved}, "1B"},
		{"booking", ledger.TicketQuery{Booking: l.bobBook.ID}, "2A"},
		{"sale", ledger.TicketQuery{Contract: l.contract, Sale: 1, Status: ledger.TicketIssued}, "1A"},
		{"another sale", ledger.TicketQuery{Contract: l.contract, Sale: 2}, ""},
		{"ids", ledger.TicketQuery{IDs: []ledger.TicketID{{Contract: l.contract, Sale: 1, Index: 5}, {Contract: l.contract, Sale: 1, Index: 1}}}, "1B 2B"},
		{"unknown owner", ledger.TicketQuery{Owner: 12345}, ""},
	} {
		tc.q.Limit = 2
		if got := strings.Join(l.seats(t, tc.q), " "); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	page, err := l.store.TicketLists.ListTickets(l.org, ledger.TicketQuery{Owner: l.ann})
	mustNil(t, err, "ListTickets")
	a := page.Tickets[0]
	if a.ID != l.contract+":1:0" || a.Status != ledger.TicketIssued || a.Format != ledger.FormatSecure || a.Booking != l.annBook.ID ||
		a.Customer != l.ann || a.Price != 50 || a.Sale != 1 || a.With != nil {
		t.Errorf("Ann's issued ticket = %+v", a)
	}
}

// TestTicketListSort: every sort column in both directions, read in pages of two, gives
// the whole list in its order, ties broken by seat.
func TestTicketListSort(t *testing.T) {
	l := openList(t)
	for _, tc := range []struct {
		sort string
		want string
	}{
		{ledger.SortSeat, "1A 1B 1C 1D 2A 2B"},
		{ledger.SortPrice, "2B 1D 1C 1B 1A 2A"},
		{ledger.SortStatus, "1D 2B 1B 2A 1A 1C"},
		{ledger.SortFormat, "1C 1D 2A 2B 1A 1B"},
		{ledger.SortBooking, "1C 1D 2B 1A 1B 2A"},
		{ledger.SortSale, "1A 1B 1C 1D 2A 2B"},
	} {
		q := ledger.TicketQuery{Contract: l.contract, SortBy: tc.sort, Limit: 2}
		if got := strings.Join(l.seats(t, q), " "); got != tc.want {
			t.Errorf("sort_by %s asc: %q, want %q", tc.sort, got, tc.want)
		}
		q.Desc = true
		want := strings.Fields(tc.want)
		slices.Reverse(want)
		if got := strings.Join(l.seats(t, q), " "); got != strings.Join(want, " ") {
			t.Errorf("sort_by %s desc: %q, want %q", tc.sort, got, strings.Join(want, " "))
		}
	}
}

// TestTicketListWith: the relations asked for come with each ticket; the customer only
// for a key that may see them, and a scanner key asking for customers is refused.
func TestTicketListWith(t *testing.T) {
	l := openList(t)
	q := ledger.TicketQuery{Contract: l.contract, With: []string{ledger.RelBookingCustomer, ledger.RelSale, ledger.RelContract}}
	page, err := l.store.TicketLists.ListTickets(l.org, q)
	mustNil(t, err, "ListTickets with relations")
	a, free := page.Tickets[0], page.Tickets[3]
	if a.With == nil || a.With.Booking == nil || a.With.Booking.ID != l.annBook.ID || a.With.Booking.Format != ledger.FormatSecure ||
		a.With.Booking.State != ledger.BookingConfirmed || a.With.BookingCustomer == nil || a.With.BookingCustomer.Email != seedPerson().Email ||
		a.With.Sale == nil || a.With.Sale.Details.Name != "Hamlet" || a.With.Contract == nil || a.With.Contract.Venue != "Test Hall" {
		t.Fatalf("1A with relations = %+v", a.With)
	}
	if free.With == nil || free.With.Booking != nil || free.With.BookingCustomer != nil || free.With.Sale == nil {
		t.Errorf("1D (available) with relations = %+v", free.With)
	}
	rival := l.actor(t, ledger.RoleOrganizer, "rival")
	_, err = l.store.TicketLists.ListTickets(rival, q)
	wantMessage(t, err, ledger.EFORBIDDEN, "Only the owner")
	page, err = l.store.TicketLists.ListTickets(rival, ledger.TicketQuery{Owner: l.ann, With: []string{ledger.RelBookingCustomer}})
	mustNil(t, err, "a rival's list of Ann's tickets")
	if page.Total != 0 || len(page.Tickets) != 0 {
		t.Errorf("a rival organizer sees %+v", page)
	}
	shop := l.actor(t, ledger.RoleBoxOffice, "shop")
	page, err = l.store.TicketLists.ListTickets(shop, ledger.TicketQuery{Owner: l.ann, With: []string{ledger.RelBookingCustomer}})
	mustNil(t, err, "the box office's list")
	if page.Tickets[0].With.BookingCustomer == nil || page.Tickets[0].With.BookingCustomer.ID != l.ann {
		t.Errorf("box office sees %+v", page.Tickets[0].With)
	}
	_, err = l.store.TicketLists.ListTickets(l.scanner, ledger.TicketQuery{Owner: l.ann, With: []string{"booking.customer"}})
	wantMessage(t, err, ledger.EFORBIDDEN, "may not see customers' personal data")
	page, err = l.store.TicketLists.ListTickets(l.scanner, ledger.TicketQuery{Contract: l.contract, With: []string{ledger.RelBooking}})
	mustNil(t, err, "a scanner's list")
	if page.Tickets[0].With.BookingCustomer != nil || page.Tickets[0].With.Booking == nil {
		t.Errorf("scanner sees %+v", page.Tickets[0].With)
	}
	_, err = l.store.TicketLists.ListTickets(context.Background(), q)
	wantCode(t, err, ledger.EUNAUTHORIZED)
}

// TestTicketListRefusals: bad queries are EINVALID in words.
func TestTicketListRefusals(t *testing.T) {
	l := openList(t)
	for _, tc := range []struct {
		q    ledger.TicketQuery
		part string
	}{
		{ledger.TicketQuery{Status: ledger.TicketIssued}, "give a contract, booking, owner or ids"},
		{ledger.TicketQuery{Owner: l.ann, Sale: 1}, "sale needs a contract"},
		{ledger.TicketQuery{Contract: l.contract, SortBy: "secret"}, "use one of seat, price, status"},
		{ledger.TicketQuery{Contract: l.contract, Status: "sold"}, "not one of available, reserved, issued, checked in"},
		{ledger.TicketQuery{Contract: l.contract, Format: "paper"}, "not one of PDF or SECURE"},
		{ledger.TicketQuery{Contract: l.contract, With: []string{"booking.owner"}}, "not a relation of a ticket"},
		{ledger.TicketQuery{Contract: l.contract, After: "1A"}, "not a cursor of this list"},
		{ledger.TicketQuery{Contract: l.contract, SortBy: ledger.SortPrice, After: l.contract + ":1:0"}, "not a cursor of this list"},
		{ledger.TicketQuery{Contract: l.contract, Limit: 1001}, "limit must be"},
		{ledger.TicketQuery{Contract: l.contract, After: l.env.create(t, l.org, "1A").Address + ":1:0"}, "not a cursor of this list"},
		{ledger.TicketQuery{Contract: "nope"}, "address"},
	} {
		_, err := l.store.TicketLists.ListTickets(l.org, tc.q)
		wantMessage(t, err, ledger.EINVALID, tc.part)
	}
}

// TestTicketListExpiredHold: a ticket held by a booking whose hold has passed is
// available, and no one's, before the sweeper comes by.
func TestTicketListExpiredHold(t *testing.T) {
	l := openList(t)
	l.clock.Advance(ledger.DefaultHoldTime + time.Minute)
	page, err := l.store.TicketLists.ListTickets(l.org, ledger.TicketQuery{Contract: l.contract, Status: ledger.TicketAvailable})
	mustNil(t, err, "ListTickets")
	var got []string
	for _, tk := range page.Tickets {
		got = append(got, tk.Seat.String())
		if tk.Booking != 0 || tk.Customer != 0 {
			t.Errorf("available %s names booking %d, customer %d", tk.Seat, tk.Booking, tk.Customer)
		}
	}
	if strings.Join(got, " ") != "1B 1D 2A 2B" {
		t.Errorf("available after the holds passed: %v", got)
	}
}

// TestTicketListPlan: on SQLite every statement of the list searches an index, for each
// way of naming the tickets; none scans the tickets table, and a sale's next page in seat
// order starts at its key.
func TestTicketListPlan(t *testing.T) {
	l := openList(t)
	if pgtest.OnPostgres() {
		t.Skip("the plan check reads SQLite's EXPLAIN QUERY PLAN (PostgreSQL plans a table this small by its size)")
	}
	plan, err := sqlstore.TicketListPlan(l.store, context.Background(), ledger.TicketQuery{Contract: l.contract, After: l.contract + ":1:3"})
	mustNil(t, err, "TicketListPlan")
	if !strings.Contains(strings.Join(plan, "\n"), "idx>?") {
		t.Errorf("a page of a sale in seat order does not start at its key: %q", plan)
	}
	for _, q := range []ledger.TicketQuery{
		{Contract: l.contract, After: l.contract + ":1:3"},
		{Contract: l.contract, SortBy: ledger.SortPrice, Desc: true, Status: ledger.TicketReserved, After: "40|" + l.contract + ":1:1"},
		{Owner: l.ann, SortBy: ledger.SortStatus, Format: ledger.FormatSecure},
		{Booking: l.bobBook.ID, SortBy: ledger.SortBooking},
		{IDs: []ledger.TicketID{{Contract: l.contract, Sale: 1, Index: 5}, {Contract: l.contract, Sale: 1, Index: 1}}},
	} {
		plan, err := sqlstore.TicketListPlan(l.store, context.Background(), q)
		mustNil(t, err, "TicketListPlan")
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN t") || strings.HasPrefix(step, "SCAN tickets") {
				t.Errorf("%+v: the plan scans the tickets: %q", q, plan)
			}
		}
	}
}
