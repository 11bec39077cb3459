package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// newCustomer creates a customer in the store and returns its id.
func (e *env) newCustomer() int64 {
	e.t.Helper()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	c, err := e.store.Customers.CreateCustomer(admin, ledger.Customer{FirstName: "Ann", LastName: "Example", Email: "ann@example.org"})
	if err != nil {
		e.t.Fatalf("CreateCustomer: %v", err)
	}
	return c.ID
}

// newBooking opens a booking over HTTP with the shop's key.
func (e *env) newBooking(addr string) ledger.Booking {
	e.t.Helper()
	var b ledger.Booking
	r := e.do("POST", api.BookingsPath, e.shop, `{"customer":`+itoa(e.newCustomer())+`,"contract":"`+addr+`"}`)
	r.want(e.t, http.StatusCreated, &b)
	if loc := r.header.Get("Location"); loc != api.BookingPath(b.ID, "") {
		e.t.Errorf("Location %q, want %q", loc, api.BookingPath(b.ID, ""))
	}
	return b
}

// TestBookingsAPI walks a booking through its routes: open, hold, free (by the seat's
// text in the path), read, confirm (the tickets with their keys and QR texts, once),
// and the refusals in words: holding a taken seat, confirming twice, freeing an issued
// ticket, a bad id, an unknown booking, a key that may not sell.
func TestBookingsAPI(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	b := e.newBooking(addr)
	var held ledger.BookingReceipt
	e.do("POST", api.BookingPath(b.ID, "tickets"), e.shop, `{"seats":[`+seatJSON(1, "A")+`,`+seatJSON(2, "A")+`]}`).want(t, http.StatusOK, &held)
	if held.Kind != ledger.TxTicketsHeld || len(held.Booking.Tickets) != 2 || held.Booking.Total != 130 {
		t.Fatalf("hold answer %+v", held)
	}
	e.do("POST", api.ContractPath(addr, "ReserveTicket"), e.shop, reserveBody(seatJSON(1, "A"), "walk-in", "")).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "not available")
	other := e.newBooking(addr)
	e.do("POST", api.BookingPath(other.ID, "tickets"), e.shop, `{"seats":[`+seatJSON(2, "A")+`]}`).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "not available")
	var freed ledger.BookingReceipt
	e.do("DELETE", api.BookingSeatPath(b.ID, ledger.Seat{Number: 2, Letter: "A"}), e.shop, "").want(t, http.StatusOK, &freed)
	if len(freed.Booking.Tickets) != 1 {
		t.Fatalf("after freeing 2A: %+v", freed.Booking)
	}
	var p issuer.Purchase
	r := e.do("POST", api.BookingPath(b.ID, "confirm"), e.shop, "")
	r.want(t, http.StatusCreated, &p)
	if p.Total != 50 || len(p.Tickets) != 1 || len(p.QR) != 1 || p.Tickets[0].Secret.Key == "" || r.header.Get("X-Transaction-Hash") != p.TransactionHash {
		t.Fatalf("confirm answer %+v", p)
	}
	if got := e.ticketOf(addr, ledger.Seat{Number: 1, Letter: "A"}); got.Address != p.Holder {
		t.Errorf("ticket list shows 1A held by %s, want %s", got.Address, p.Holder)
	}
	var read ledger.Booking
	e.do("GET", api.BookingPath(b.ID, ""), e.shop, "").want(t, http.StatusOK, &read)
	if read.State != ledger.BookingConfirmed || read.Tickets[0].Status != ledger.TicketIssued {
		t.Errorf("booking read %+v", read)
	}
	e.do("POST", api.BookingPath(b.ID, "confirm"), e.shop, "{}").wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "already confirmed")
	e.do("DELETE", api.BookingSeatPath(b.ID, ledger.Seat{Number: 1, Letter: "A"}), e.shop, "").
		wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "issued")
	e.do("GET", api.BookingsPath+"/x1", e.shop, "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
	e.do("GET", api.BookingPath(987654, ""), e.shop, "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	e.do("GET", api.BookingPath(b.ID, ""), e.gate, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", api.BookingPath(b.ID, ""), "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	e.do("POST", api.BookingPath(other.ID, "tickets"), e.shop, `{"seats":[]}`).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	e.do("POST", api.BookingPath(other.ID, "tickets"), e.shop, ``).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	e.do("POST", api.BookingsPath, e.shop, `{"customer":"x"}`).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	e.do("POST", api.BookingPath(other.ID, "cancel"), e.shop, "").want(t, http.StatusOK, nil)
	e.do("POST", api.BookingPath(other.ID, "cancel"), e.shop, "").wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "cancelled")
}

// TestBookingsAPIExpired: confirming after the hold passed is a 409 in words, and the
// seat is on sale again.
func TestBookingsAPIExpired(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	b := e.newBooking(addr)
	e.do("POST", api.BookingPath(b.ID, "tickets"), e.shop, `{"seats":[`+seatJSON(1, "B")+`]}`).want(t, http.StatusOK, nil)
	e.clock.Advance(ledger.DefaultHoldTime + time.Second)
	e.do("POST", api.BookingPath(b.ID, "confirm"), e.shop, "").wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "expired")
	again := e.newBooking(addr)
	e.do("POST", api.BookingPath(again.ID, "tickets"), e.shop, `{"seats":[`+seatJSON(1, "B")+`]}`).want(t, http.StatusOK, nil)
}

// TestTicketListShowsHolds: the public ticket list shows a seat a booking holds as not
// for sale, `"status": "reserved"`, with the zero address and nothing of the booking or
// its customer, to the public and to the contract's owner alike; once the hold has
// passed the seat reads as available again (as a buyer would find it), before any sweep.
func TestTicketListShowsHolds(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	b := e.newBooking(addr)
	e.do("POST", api.BookingPath(b.ID, "tickets"), e.shop, `{"seats":[`+seatJSON(1, "B")+`]}`).want(t, http.StatusOK, nil)
	held := ledger.Seat{Number: 1, Letter: "B"}
	for _, key := range []string{"", e.alice} {
		r := e.do("GET", api.ContractPath(addr, "Tickets"), key, "")
		var raw []json.RawMessage
		r.want(t, http.StatusOK, &raw)
		for _, item := range raw {
			var tk ledger.Ticket
			if err := json.Unmarshal(item, &tk); err != nil {
				t.Fatal(err)
			}
			want := []string{"address", "customerIdentifier", "price", "seat", "secret"}
			if tk.Seat == held {
				want = append(want, "status")
				if tk.Status != ledger.TicketReserved || tk.Address != ledger.ZeroAddress || tk.Available() {
					t.Errorf("held seat listed as %s", item)
				}
			} else if !tk.Available() {
				t.Errorf("free seat listed as %s", item)
			}
			if got := members(t, item); !slices.Equal(got, want) {
				t.Errorf("ticket %s has members %v, want %v", tk.Seat, got, want)
			}
		}
	}
	e.clock.Advance(ledger.DefaultHoldTime)
	if tk := e.ticketOf(addr, held); !tk.Available() || tk.Status != "" {
		t.Errorf("seat of a passed hold listed as %+v, want available", tk)
	}
}
