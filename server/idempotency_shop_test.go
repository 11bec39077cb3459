package server_test

import (
	"bytes"
	"cmp"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// shopWrite is one write of the shop sent under an Idempotency-Key: its first request,
// and another request (another body, or another path) sent later under the same key.
type shopWrite struct {
	name, method, path, body string
	status                   int
	otherPath, otherBody     string
}

// TestIdempotencyShopRetries: every write of the shop (a customer's change, opening a
// booking, holding, freeing, confirming, cancelling) retried with the same
// Idempotency-Key and request answers the first answer again, byte for byte, marked
// replayed, and journals nothing more; the same key with another body or path is a 409
// in words, and runs nothing.
func TestIdempotencyShopRetries(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	customer := e.newCustomer()
	open := `{"customer":` + itoa(customer) + `,"contract":"` + addr + `"}`
	var b, other ledger.Booking
	e.do("POST", api.BookingsPath, e.shop, open).want(t, http.StatusCreated, &other)
	e.retryWrite(t, shopWrite{name: "change a customer", method: "PATCH", path: api.CustomerPath(customer, ""),
		body: `{"address":{"city":"Thun"}}`, status: http.StatusOK, otherBody: `{"address":{"city":"Bern"}}`})
	e.retryWrite(t, shopWrite{name: "open a booking", method: "POST", path: api.BookingsPath, body: open, status: http.StatusCreated,
		otherBody: strings.Replace(open, "}", `,"format":"SECURE"}`, 1)}).want(t, http.StatusCreated, &b)
	for _, w := range []shopWrite{
		{name: "hold", method: "POST", path: api.BookingPath(b.ID, "tickets"), status: http.StatusOK,
			body: `{"seats":[` + seatJSON(1, "A") + `,` + seatJSON(2, "A") + `]}`, otherBody: `{"seats":[` + seatJSON(1, "B") + `]}`},
		{name: "free", method: "DELETE", path: api.BookingSeatPath(b.ID, ledger.Seat{Number: 2, Letter: "A"}), status: http.StatusOK,
			otherPath: api.BookingSeatPath(b.ID, ledger.Seat{Number: 1, Letter: "A"})},
		{name: "confirm", method: "POST", path: api.BookingPath(b.ID, "confirm"), body: `{}`, status: http.StatusCreated,
			otherBody: `{"ticketsPerQR":1}`},
		{name: "cancel", method: "POST", path: api.BookingPath(other.ID, "cancel"), status: http.StatusOK,
			otherPath: api.BookingPath(b.ID, "cancel")},
	} {
		e.retryWrite(t, w)
	}
	var got ledger.Booking
	e.do("GET", api.BookingPath(b.ID, ""), e.shop, "").want(t, http.StatusOK, &got)
	if got.State != ledger.BookingConfirmed || len(got.Tickets) != 1 || got.Tickets[0].Seat != (ledger.Seat{Number: 1, Letter: "A"}) {
		t.Errorf("booking after the retries = %+v, want 1A confirmed alone", got)
	}
	var cu ledger.Customer
	e.do("GET", api.CustomerPath(customer, ""), e.shop, "").want(t, http.StatusOK, &cu)
	if cu.Address.City != "Thun" {
		t.Errorf("customer's city %q after the retries, want Thun", cu.Address.City)
	}
}

// retryWrite sends the write under the key w.name, then the same request again (the
// first answer replayed, nothing journaled), then another request under the same key
// (409, nothing journaled).
func (e *env) retryWrite(t *testing.T, w shopWrite) response {
	t.Helper()
	first := e.idem(w.method, w.path, e.shop, w.name, w.body)
	if first.status != w.status {
		t.Fatalf("%s: status %d, want %d: %s", w.name, first.status, w.status, first.body)
	}
	count := e.transactionCount()
	again := e.idem(w.method, w.path, e.shop, w.name, w.body)
	if again.status != first.status || !bytes.Equal(again.body, first.body) || again.header.Get(server.ReplayedHeader) != "true" ||
		again.header.Get("Location") != first.header.Get("Location") {
		t.Errorf("%s retried: %d %s (replayed %q), want the first answer %d %s", w.name, again.status, again.body,
			again.header.Get(server.ReplayedHeader), first.status, first.body)
	}
	path, body := cmp.Or(w.otherPath, w.path), cmp.Or(w.otherBody, w.body)
	conflict := e.idem(w.method, path, e.shop, w.name, body)
	conflict.wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "another request")
	if n := e.transactionCount(); n != count {
		t.Errorf("%s: %d transactions after the retries, %d after the first", w.name, n, count)
	}
	return first
}
