package season_test

import (
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// show is a sale to open in tests: its venue, name, time, zone, seats and their prices,
// standing places and ticket types.
type show struct {
	venue, name, zone string
	at                time.Time
	seats             []ledger.Seat
	price             int64
	standing          []ledger.StandingSection
	types             []ledger.TicketType
}

// theatre is three seats in two sections and a standing section of two places.
func theatre(name string, at time.Time) show {
	return show{venue: "Stadttheater", name: name, zone: "Europe/Zurich", at: at, price: 5000,
		seats:    []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 2, Letter: "A"}, {Number: 1, Letter: "B", Section: "Balcony"}},
		standing: []ledger.StandingSection{{Section: "Pit", Capacity: 2}}}
}

// open creates the show's contract and begins its sale: its address.
func (e *env) open(s show) string {
	e.t.Helper()
	return e.openTB(e.t, s)
}

// openTB is open for a test or a fuzz target.
func (e *env) openTB(tb testing.TB, s show) string {
	tb.Helper()
	c, _, err := e.store.Contracts.CreateContract(admin(), s.venue, s.seats, s.standing...)
	if err != nil {
		tb.Fatal(err)
	}
	all := ledger.ContractSeats(s.seats, s.standing)
	prices := make([]ledger.SeatPrice, len(all))
	for i, seat := range all {
		prices[i] = ledger.SeatPrice{Seat: seat, Price: s.price}
	}
	info, err := e.store.Ledger().Info(admin())
	if err != nil {
		tb.Fatal(err)
	}
	d := ledger.SaleDetails{Name: s.name, Organiser: "Theater AG", Time: s.at.Unix(), EndOfSale: info.Height + 1000,
		Currency: "CHF", TimeZone: s.zone, TicketTypes: s.types}
	if _, err := e.store.Contracts.BeginSale(admin(), c.Address, prices, d); err != nil {
		tb.Fatal(err)
	}
	return c.Address
}
