package issuer_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// bookSeats opens a booking for a new customer on the contract and holds the seats.
func (e *sellEnv) bookSeats(tb testing.TB, address string, held ...ledger.Seat) ledger.Booking {
	tb.Helper()
	cu, err := e.store.Customers.CreateCustomer(e.ctx, ledger.Customer{FirstName: "Ann", LastName: "Example", Email: "ann@example.org"})
	if err != nil {
		tb.Fatalf("CreateCustomer: %v", err)
	}
	b, err := e.store.Bookings.NewBooking(e.ctx, address, cu.ID)
	if err != nil {
		tb.Fatalf("NewBooking: %v", err)
	}
	rc, err := e.store.Bookings.Hold(e.ctx, b.ID, ledger.HoldSeats("", held...))
	if err != nil {
		tb.Fatalf("Hold: %v", err)
	}
	return rc.Booking
}

// TestConfirmBookingSealsTickets: confirming a booking issues its held seats exactly as
// a purchase: fresh secrets the ledger's ciphertexts open to, the name under the
// identity policy, the amounts, and the QR texts; confirming again is refused in words.
func TestConfirmBookingSealsTickets(t *testing.T) {
	for _, named := range []bool{false, true} {
		t.Run(fmt.Sprintf("IdentityPolicy=%v", named), func(t *testing.T) {
			e := newSellEnv(t)
			e.issuer.Bookings = e.store.Bookings
			c := e.openSale(t, 3, ledger.Rules{RequireIdentityVerification: named}, 1000)
			b := e.bookSeats(t, c.Address, seats(3)[2], seats(3)[1])
			p, err := e.issuer.ConfirmBooking(e.ctx, b.ID, issuer.ConfirmRequest{CustomerName: "Zoë Łukasiewicz", Amount: ptr(60)})
			if err != nil {
				t.Fatalf("ConfirmBooking: %v", err)
			}
			if p.Sender != ledger.BookingSender(b.Customer) || p.Total != 50 || p.Refunded != 10 || len(p.Tickets) != 2 {
				t.Errorf("purchase %+v: want the customer's two tickets, total 50, refunded 10", p)
			}
			list, err := e.store.Contracts.Tickets(e.ctx, c.Address)
			if err != nil {
				t.Fatal(err)
			}
			checkIssued(t, p, list[1:], named)
			got, err := e.store.Bookings.Booking(e.ctx, b.ID)
			if err != nil || got.State != ledger.BookingConfirmed || got.Tickets[0].Status != ledger.TicketIssued {
				t.Fatalf("booking after confirming = %+v, %v", got, err)
			}
			_, err = e.issuer.ConfirmBooking(e.ctx, b.ID, issuer.ConfirmRequest{})
			wantCode(t, err, ledger.ECONFLICT)
			e.journalSize(t) // verifies
		})
	}
}

// TestConfirmBookingExpired: after the hold, confirming is refused (ECONFLICT) and
// nothing is sold.
func TestConfirmBookingExpired(t *testing.T) {
	e := newSellEnv(t)
	e.issuer.Bookings = e.store.Bookings
	c := e.openSale(t, 2, ledger.Rules{}, 1000)
	b := e.bookSeats(t, c.Address, seats(2)...)
	e.clock.Advance(ledger.DefaultHoldTime + time.Second)
	_, err := e.issuer.ConfirmBooking(e.ctx, b.ID, issuer.ConfirmRequest{})
	wantCode(t, err, ledger.ECONFLICT)
	wantAvailable(t, e, c.Address, 2)
}
