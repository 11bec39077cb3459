package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestTicketListAPI: GET /api/v1.0/tickets pages by its Link with X-Total-Count, sorts,
// filters, includes relations, compresses, answers bad parameters 400 in words, and
// shows a customer's personal data only to a key that may see them: never to a scanner
// key, nor without a key, nor in the log.
func TestTicketListAPI(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	var b ledger.Booking
	e.do("POST", api.BookingsPath, e.shop, `{"customer":`+itoa(e.newCustomer())+`,"contract":"`+addr+`","format":"SECURE"}`).
		want(t, http.StatusCreated, &b)
	e.do("POST", api.BookingPath(b.ID, "tickets"), e.shop, `{"seats":[`+seatJSON(1, "A")+`]}`).want(t, http.StatusOK, nil)

	path := api.TicketsPath + "?contract=" + addr + "&sort_by=price&direction=desc&limit=2"
	var seats []string
	for range 3 {
		r := e.do("GET", path, e.shop, "")
		var page []ledger.ListedTicket
		r.want(t, http.StatusOK, &page)
		if r.header.Get(api.TotalCountHeader) != "3" {
			t.Errorf("X-Total-Count %q, want 3", r.header.Get(api.TotalCountHeader))
		}
		for _, tk := range page {
			seats = append(seats, tk.Seat.String()+"/"+tk.Status+"/"+tk.Format)
		}
		next := api.NextCursor(r.header)
		if next == "" {
			break
		}
		path = api.TicketsPath + "?contract=" + addr + "&sort_by=price&direction=desc&limit=2&cursor=" + url.QueryEscape(next)
	}
	if got := strings.Join(seats, " "); got != "2A/available/PDF 1A/reserved/SECURE 1B/available/PDF" {
		t.Errorf("paged by price, descending: %s", got)
	}

	withCustomer := api.TicketsPath + "?booking=" + itoa(b.ID) + "&with=" + url.QueryEscape("[booking,booking.customer,sale]")
	r := e.do("GET", withCustomer, e.shop, "")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "ann@example.org") || !strings.Contains(string(r.body), `"booking.customer"`) {
		t.Errorf("box office with booking.customer: %d %s", r.status, r.body)
	}
	e.do("GET", withCustomer, e.gate, "").wantErrorText(t, http.StatusForbidden, ledger.EFORBIDDEN, "may not see customers' personal data")
	e.do("GET", withCustomer, "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	r = e.do("GET", api.TicketsPath+"?booking="+itoa(b.ID)+"&with=booking", e.gate, "")
	if r.status != http.StatusOK || strings.Contains(string(r.body), "ann@example.org") || strings.Contains(string(r.body), "Example") {
		t.Errorf("a scanner's list with booking: %d %s", r.status, r.body)
	}

	for query, part := range map[string]string{
		"?contract=" + addr + "&sort_by=secret":  "use one of seat, price, status, booking, format, sale",
		"?contract=" + addr + "&direction=up":    "not asc or desc",
		"?contract=" + addr + "&status=sold":     "not one of available, reserved, issued, checked in",
		"?contract=" + addr + "&with=%5Bbooking": "closing ]",
		"?contract=" + addr + "&with=owner":      "not a relation of a ticket",
		"?owner=seven":                           "positive whole number",
		"?contract=" + addr + "&email=a":         `"email" is not one of`,
		"?status=issued":                         "give a contract, booking, owner or ids",
		"?contract=" + addr + "&cursor=abc":      "not a cursor of this list",
		"?contract=" + addr + "&q=%zz":           "query string is malformed",
	} {
		e.do("GET", api.TicketsPath+query, e.shop, "").wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, part)
	}
	if strings.Contains(e.logs.String(), "ann@example.org") {
		t.Errorf("the log holds a customer's e-mail address")
	}
}

// TestTicketListGzip: a list answer is gzip-compressed for a client that accepts it.
func TestTicketListGzip(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	req, _ := http.NewRequest("GET", e.srv.URL+api.TicketsPath+"?contract="+addr+"&with=[sale,contract]", nil)
	req.Header.Set("Authorization", "Bearer "+e.shop)
	h, body := e.sendRaw(req, "gzip")
	if h.Get("Content-Encoding") != "gzip" || h.Get(api.TotalCountHeader) != "3" {
		t.Fatalf("headers %v", h)
	}
	var page []ledger.ListedTicket
	if err := json.Unmarshal(gunzip(t, body), &page); err != nil || len(page) != 3 || page[0].With.Contract.Address != addr {
		t.Fatalf("gzip body: %v %+v", err, page)
	}
	if n, _ := strconv.Atoi(h.Get(api.TotalCountHeader)); n != len(page) {
		t.Errorf("total %d, page %d", n, len(page))
	}
}
