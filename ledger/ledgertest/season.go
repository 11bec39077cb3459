package ledgertest

import (
	"slices"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// seasonWindow is a window of show times around the suite's sales.
var seasonWindow = ledger.SeasonEventQuery{From: time.Unix(showTime, 0).Add(-time.Hour), To: time.Unix(showTime, 0).Add(time.Hour)}

// eventNames are the addresses of the events.
func eventNames(events []ledger.SeasonEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Contract.Address
	}
	return out
}

// testSeasonEvents: a contract on sale is an event, found by its show time, with its
// seats counted by status; one before its sale is none; an organizer sees its own
// events only; a scanner key and no key are refused; a page bounded wrongly is invalid.
func testSeasonEvents(t *testing.T, b Backend) {
	bo := b.BoxOffice
	if bo.Season == nil {
		t.Skip("this backend has no command API reads")
	}
	c := onSale(t, b, 400, "1A", "1B", "2A")
	sell(t, b, c.Address, "alice", "", "1A")
	bk := openBooking(t, b, c.Address, "1B")
	e, err := bo.Season.SeasonEvent(bo.Ctx, c.Address)
	must(t, err, "SeasonEvent")
	want := map[string]int{ledger.TicketAvailable: 1, ledger.TicketReserved: 1, ledger.TicketIssued: 1, ledger.TicketCheckedIn: 0}
	for k, v := range want {
		if e.Counts[k] != v {
			t.Errorf("counts %v, want %v", e.Counts, want)
			break
		}
	}
	if e.Contract.Sale == nil || e.Contract.Sale.Details.Name != "Hamlet" {
		t.Errorf("event contract %+v", e.Contract)
	}
	found, err := bo.Season.SeasonEvents(bo.Ctx, seasonWindow)
	must(t, err, "SeasonEvents")
	if !slices.Contains(eventNames(found), c.Address) {
		t.Errorf("SeasonEvents around the show = %v, want %s among them", eventNames(found), c.Address)
	}
	_, err = bookings(t, bo).Cancel(bo.Ctx, bk.ID)
	must(t, err, "Cancel")
	rival, err := b.Rival.Season.SeasonEvents(b.Rival.Ctx, seasonWindow)
	must(t, err, "the rival's SeasonEvents")
	if slices.Contains(eventNames(rival), c.Address) {
		t.Errorf("the rival sees the organizer's event")
	}
	_, err = b.Rival.Season.SeasonEvent(b.Rival.Ctx, c.Address)
	wantCode(t, err, ledger.ENOTFOUND, "the rival reading the event")
	_, err = bo.Season.SeasonEvent(bo.Ctx, create(t, b, "1A").Address)
	wantCode(t, err, ledger.ENOTFOUND, "a contract before its sale")
	_, err = b.Scanner.Season.SeasonEvents(b.Scanner.Ctx, seasonWindow)
	wantCode(t, err, ledger.EFORBIDDEN, "a scanner key")
	_, err = b.Anonymous.Season.SeasonEvents(b.Anonymous.Ctx, seasonWindow)
	wantCode(t, err, ledger.EUNAUTHORIZED, "no key")
	_, err = bo.Season.SeasonEvents(bo.Ctx, ledger.SeasonEventQuery{From: seasonWindow.From, To: seasonWindow.To, Limit: ledger.MaxSeasonEvents + 1})
	wantCode(t, err, ledger.EINVALID, "a limit too large")
	_, err = bo.Season.SeasonEvents(bo.Ctx, ledger.SeasonEventQuery{From: seasonWindow.To, To: seasonWindow.From})
	wantCode(t, err, ledger.EINVALID, "a window ending before it starts")
}

// testSeasonAccounts: an account keeps its pin (checked, never shown) and external ids;
// another account cannot take an external id; erasing the customer forgets both; the
// seats sold to the account are listed and paged.
func testSeasonAccounts(t *testing.T, b Backend) {
	bo := b.BoxOffice
	if bo.SeasonAccounts == nil || bo.Season == nil {
		t.Skip("this backend keeps no command API accounts")
	}
	c := onSale(t, b, 400, "1A", "1B", "2A")
	bk := openBooking(t, b, c.Address, "1A", "1B")
	_, err := bo.Bookings.Confirm(bo.Ctx, bk.ID, confirmOrder(t, bk, "1A", "1B"))
	must(t, err, "Confirm")
	pin, alt := "4711", []ledger.AltID{{Type: "crm", ID: t.Name()}}
	a, err := bo.SeasonAccounts.ChangeSeasonAccount(bo.Ctx, bk.Customer, ledger.SeasonAccountChange{Pin: &pin, AltIDs: &alt})
	must(t, err, "ChangeSeasonAccount")
	if !a.HasPin || a.Locked || len(a.AltIDs) != 1 {
		t.Errorf("account %+v", a)
	}
	must(t, bo.SeasonAccounts.CheckPin(bo.Ctx, bk.Customer, "4711"), "CheckPin")
	wantCode(t, bo.SeasonAccounts.CheckPin(bo.Ctx, bk.Customer, "4712"), ledger.EREFUSED, "a wrong pin")
	id, err := bo.SeasonAccounts.AccountByAltID(bo.Ctx, alt[0])
	if err != nil || id != bk.Customer {
		t.Errorf("AccountByAltID = %d, %v; want %d", id, err, bk.Customer)
	}
	other := createCustomer(t, bo, ledger.Customer{LastName: "Other"})
	_, err = bo.SeasonAccounts.ChangeSeasonAccount(bo.Ctx, other.ID, ledger.SeasonAccountChange{AltIDs: &alt})
	wantCode(t, err, ledger.EREFUSED, "another account's external id")
	short := "12"
	_, err = bo.SeasonAccounts.ChangeSeasonAccount(bo.Ctx, other.ID, ledger.SeasonAccountChange{Pin: &short})
	wantCode(t, err, ledger.EINVALID, "a short pin")
	page, err := bo.Season.SoldSeats(bo.Ctx, ledger.SoldSeatQuery{Customer: bk.Customer, Limit: 1})
	must(t, err, "SoldSeats")
	if page.Total != 2 || len(page.Seats) != 1 || page.Next == "" || page.Seats[0].Paid != 400 || page.Seats[0].Ticket.Contract != c.Address {
		t.Errorf("SoldSeats page 1 = %+v", page)
	}
	page, err = bo.Season.SoldSeats(bo.Ctx, ledger.SoldSeatQuery{Customer: bk.Customer, After: page.Next})
	must(t, err, "SoldSeats page 2")
	if len(page.Seats) != 1 || page.Next != "" || page.Seats[0].Seat.Letter != "B" {
		t.Errorf("SoldSeats page 2 = %+v", page)
	}
	_, err = b.Scanner.Season.SoldSeats(b.Scanner.Ctx, ledger.SoldSeatQuery{Customer: bk.Customer})
	wantCode(t, err, ledger.EFORBIDDEN, "a scanner key listing sold seats")
	_, err = customers(t, bo).EraseCustomer(bo.Ctx, bk.Customer)
	must(t, err, "EraseCustomer")
	_, err = bo.SeasonAccounts.AccountByAltID(bo.Ctx, alt[0])
	wantCode(t, err, ledger.ENOTFOUND, "the erased account's external id")
	_, err = bo.SeasonAccounts.ChangeSeasonAccount(bo.Ctx, other.ID, ledger.SeasonAccountChange{AltIDs: &alt})
	must(t, err, "taking the erased account's external id")
	_, err = bo.Season.SoldSeats(bo.Ctx, ledger.SoldSeatQuery{Customer: bk.Customer})
	wantCode(t, err, ledger.ENOTFOUND, "the erased account's seats")
}
