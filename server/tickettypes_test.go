package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// threeTypes are ticket types for threeSeats at threePrices (1A 50, 1B 30, 2A 80):
// reduced 20 everywhere, 60 at the 80 price level, 40 on seat 1A; child 10 at the 30
// price level alone.
const threeTypes = `[{"name":"reduced","prices":[{"price":20},{"priceLevel":80,"price":60},{"seat":{"number":1,"letter":"A"},"price":40}]},
	{"name":"child","prices":[{"priceLevel":30,"price":10}]}]`

// typedSaleBody is e.saleBody with the ticket types at the top of the body.
func (e *env) typedSaleBody(prices, types string, blocks int64) string {
	body := e.saleBody(prices, blocks)
	return strings.TrimSuffix(body, "}") + `,"ticketTypes":` + types + `}`
}

// saleDetailsOf reads the contract and returns its sale's details as JSON members.
func (e *env) saleDetailsOf(addr string) map[string]json.RawMessage {
	e.t.Helper()
	var c struct {
		Sale struct {
			Details map[string]json.RawMessage `json:"details"`
		} `json:"sale"`
	}
	e.do("GET", api.ContractPath(addr, ""), "", "").want(e.t, http.StatusOK, &c)
	return c.Sale.Details
}

// TestBeginSaleBodyUnchanged: Ticketbooth's BeginSale body, without ticket types, begins
// a sale as before, and the sale reads back with exactly the details it always had.
func TestBeginSaleBodyUnchanged(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	got := slices.Sorted(func(yield func(string) bool) {
		for k := range e.saleDetailsOf(addr) {
			if !yield(k) {
				return
			}
		}
	})
	if want := []string{"currency", "endOfSale", "name", "organiser", "time"}; !slices.Equal(got, want) {
		t.Errorf("the sale's details read back as %v, want %v", got, want)
	}
	b := e.newBooking(addr)
	var held ledger.BookingReceipt
	e.do("POST", api.BookingPath(b.ID, "tickets"), e.shop, `{"seats":[`+seatJSON(1, "B")+`]}`).want(t, http.StatusOK, &held)
	if held.Booking.Tickets[0].Type != "" || held.Booking.Total != 30 {
		t.Errorf("a hold without a type: %+v", held.Booking)
	}
	e.do("POST", api.BookingPath(b.ID, "tickets"), e.shop, `{"seats":[`+seatJSON(1, "A")+`],"type":"reduced"}`).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "this sale has no ticket types")
}

// TestTicketTypesAPI: BeginSale's ticketTypes are read back with the sale; holds name a
// type for all their seats or one per ticket, each at the type's most specific price;
// the booking shows types, prices and the total; confirming charges them and the
// purchase names each ticket's type.
func TestTicketTypesAPI(t *testing.T) {
	e := newEnv(t)
	addr := e.create(threeSeats)
	e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, e.typedSaleBody(threePrices, threeTypes, 1000)).want(t, http.StatusCreated, nil)
	var types []ledger.TicketType
	if err := json.Unmarshal(e.saleDetailsOf(addr)["ticketTypes"], &types); err != nil || len(types) != 2 || types[1].Name != "child" {
		t.Fatalf("the sale reads back with types %+v (%v)", types, err)
	}
	b := e.newBooking(addr)
	e.do("POST", api.BookingPath(b.ID, "tickets"), e.shop, `{"seats":[`+seatJSON(1, "A")+`,`+seatJSON(2, "A")+`],"type":"reduced"}`).
		want(t, http.StatusOK, nil)
	var held ledger.BookingReceipt
	e.do("POST", api.BookingPath(b.ID, "tickets"), e.shop, `{"tickets":[{"seat":`+seatJSON(1, "B")+`,"type":"child"}]}`).
		want(t, http.StatusOK, &held)
	want := []ledger.BookedTicket{{Seat: ledger.Seat{Number: 1, Letter: "A"}, Type: "reduced", Price: 40, Status: ledger.TicketReserved},
		{Seat: ledger.Seat{Number: 1, Letter: "B"}, Type: "child", Price: 10, Status: ledger.TicketReserved},
		{Seat: ledger.Seat{Number: 2, Letter: "A"}, Type: "reduced", Price: 60, Status: ledger.TicketReserved}}
	if !slices.Equal(held.Booking.Tickets, want) || held.Booking.Total != 110 {
		t.Fatalf("booking %+v, want %+v and total 110", held.Booking, want)
	}
	var p issuer.Purchase
	e.do("POST", api.BookingPath(b.ID, "confirm"), e.shop, "").want(t, http.StatusCreated, &p)
	if p.Total != 110 || p.Tickets[0].Type != "reduced" || p.Tickets[0].Price != 40 || p.Tickets[1].Type != "child" {
		t.Fatalf("purchase total %d, tickets %+v", p.Total, p.Tickets)
	}
	var read ledger.Booking
	e.do("GET", api.BookingPath(b.ID, ""), e.shop, "").want(t, http.StatusOK, &read)
	if read.Total != 110 || read.Tickets[2].Type != "reduced" || read.Tickets[2].Status != ledger.TicketIssued {
		t.Errorf("confirmed booking read %+v", read)
	}
}

// TestTicketTypesRefusals: malformed types and holds are 400s in words, and a sale
// refused for its types is not begun.
func TestTicketTypesRefusals(t *testing.T) {
	e := newEnv(t)
	addr := e.create(threeSeats)
	bad := map[string]string{
		`[{"name":"reduced","prices":[{"price":1}]},{"name":"Reduced","prices":[{"price":2}]}]`: "named twice",
		`[{"name":"reduced","prices":[{"price":-1}]}]`:                                          "must be between 0 and",
		`[{"name":"reduced","prices":[{"section":"Gallery","price":1}]}]`:                       "which this hall lacks",
		`[{"name":"reduced","prices":[{"priceLevel":99,"price":1}]}]`:                           "no seat of this sale has that base price",
		`[{"name":"","prices":[{"price":1}]}]`:                                                  "needs a name",
		`[{"name":"reduced","prices":[]}]`:                                                      "needs at least one price",
		`[{"name":"reduced","prices":[{"price":"1"}]}]`:                                         "",
	}
	for types, words := range bad {
		r := e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, e.typedSaleBody(threePrices, types, 1000))
		r.wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, words)
	}
	both := strings.Replace(e.typedSaleBody(threePrices, threeTypes, 1000), `"details":{`, `"details":{"ticketTypes":`+threeTypes+`,`, 1)
	e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, both).wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "not both")
	if d := e.saleDetailsOf(addr); d != nil {
		t.Fatalf("a refused sale began: %v", d)
	}
	e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, e.typedSaleBody(threePrices, threeTypes, 1000)).want(t, http.StatusCreated, nil)
	b := e.newBooking(addr)
	holds := []struct{ body, code, words string }{
		{`{"seats":[` + seatJSON(1, "A") + `],"type":"vip"}`, ledger.EREFUSED, `"vip" is not offered in this sale; it offers reduced, child`},
		{`{"seats":[` + seatJSON(1, "A") + `],"type":"child"}`, ledger.EREFUSED, `"child" is not offered for seat 1A`},
		{`{"seats":[` + seatJSON(1, "A") + `],"tickets":[{"seat":` + seatJSON(1, "B") + `}]}`, ledger.EINVALID, "not both"},
		{`{"tickets":[{"seat":` + seatJSON(1, "B") + `}],"type":"child"}`, ledger.EINVALID, "each ticket its own type"},
		{`{"seats":[` + seatJSON(1, "A") + `],"type":" child"}`, ledger.EINVALID, "spaces"},
		{`{"seats":[` + seatJSON(1, "A") + `],"type":7}`, ledger.EINVALID, ""},
	}
	for _, h := range holds {
		e.do("POST", api.BookingPath(b.ID, "tickets"), e.shop, h.body).wantErrorText(t, http.StatusBadRequest, h.code, h.words)
	}
	var read ledger.Booking
	e.do("GET", api.BookingPath(b.ID, ""), e.shop, "").want(t, http.StatusOK, &read)
	if len(read.Tickets) != 0 {
		t.Errorf("refused holds held %+v", read.Tickets)
	}
}
