package server_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/fixtures"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// stadiumFixtureOnSale creates the stadium fixture's 60,000-seat contract with its price
// list on sale, through the store.
func (e *env) stadiumFixtureOnSale() (string, fixtures.Venue) {
	e.t.Helper()
	return stadiumFixture(e.t, e.store, e.clock.Now().Add(24*time.Hour).Unix())
}

// stadiumFixture creates the stadium fixture's contract in st with its price list on
// sale for a show at showTime (Unix seconds), ending 100 blocks on.
func stadiumFixture(tb testing.TB, st *sqlstore.Store, showTime int64) (string, fixtures.Venue) {
	tb.Helper()
	venue, err := fixtures.LoadVenue("stadium")
	if err != nil {
		tb.Fatal(err)
	}
	list, err := fixtures.LoadPrices("stadium")
	if err != nil {
		tb.Fatal(err)
	}
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	c, _, err := st.Contracts.CreateContract(admin, venue.Name, venue.Seats)
	if err != nil {
		tb.Fatal(err)
	}
	prices := make([]ledger.SeatPrice, len(venue.Seats))
	for i, s := range venue.Seats {
		p, err := list.Price(s)
		if err != nil {
			tb.Fatal(err)
		}
		prices[i] = ledger.SeatPrice{Seat: s, Price: p}
	}
	info, err := st.Ledger().Info(admin)
	if err != nil {
		tb.Fatal(err)
	}
	d := ledger.SaleDetails{Name: "Final", Organiser: "League", Time: showTime, EndOfSale: info.Height + 100}
	if _, err := st.Contracts.BeginSale(admin, c.Address, prices, d); err != nil {
		tb.Fatal(err)
	}
	return c.Address, venue
}

// pageThrough reads the list at path limit tickets a page, following the Link header
// from page to page, with or without asking for gzip: the tickets and the totals seen.
func (e *env) pageThrough(path string, limit int, gzip bool) ([]ledger.Ticket, []int) {
	e.t.Helper()
	var all []ledger.Ticket
	var totals []int
	next := path + "?limit=" + strconv.Itoa(limit)
	for next != "" {
		req, _ := http.NewRequest("GET", e.srv.URL+next, nil)
		if !gzip {
			req.Header.Set("Accept-Encoding", "identity")
		}
		r := e.send(req)
		var page []ledger.Ticket
		r.want(e.t, http.StatusOK, &page)
		all, totals = append(all, page...), append(totals, api.TotalCount(r.header))
		next = ""
		if c := api.NextCursor(r.header); c != "" {
			next = path + "?limit=" + strconv.Itoa(limit) + "&cursor=" + url.QueryEscape(c)
		}
		if len(totals) > 100000 {
			e.t.Fatal("the pages never end")
		}
	}
	return all, totals
}

// TestTicketListCursorStadium: the stadium's 60,000-ticket list paged by cursor over HTTP
// holds every ticket exactly once, in seat order, as the whole list does; every page
// names the total; paged with and without gzip alike.
func TestTicketListCursorStadium(t *testing.T) {
	if testing.Short() {
		t.Skip("stadium contract in -short mode")
	}
	e := newEnv(t)
	addr, venue := e.stadiumFixtureOnSale()
	path := api.ContractPath(addr, "Tickets")
	whole := e.ticketList(addr)
	for _, gz := range []bool{false, true} {
		paged, totals := e.pageThrough(path, 1000, gz)
		if len(paged) != len(venue.Seats) || len(totals) != (len(venue.Seats)+999)/1000 {
			t.Fatalf("gzip %v: %d tickets in %d pages, want %d", gz, len(paged), len(totals), len(venue.Seats))
		}
		for i := range paged {
			if paged[i] != whole[i] || paged[i].Seat != venue.Seats[i] {
				t.Fatalf("gzip %v: paged ticket %d = %+v, want %+v", gz, i, paged[i], whole[i])
			}
		}
		for i, n := range totals {
			if n != len(venue.Seats) {
				t.Fatalf("gzip %v: page %d says X-Total-Count %d", gz, i, n)
			}
		}
	}
}

// TestTicketListCursor: cursor pages of a small list, the last page naming no next one,
// offset and cursor not together, and a cursor tampered with (not base64, another list's,
// not an index) refused with a 400 in words.
func TestTicketListCursor(t *testing.T) {
	e := newEnv(t)
	addr, seats := e.stadiumOnSale(25)
	path := api.ContractPath(addr, "Tickets")
	paged, totals := e.pageThrough(path, 10, false)
	if len(paged) != 25 || len(totals) != 3 || totals[2] != 25 || paged[24].Seat != seats[24] {
		t.Fatalf("pages of 10: %d tickets, totals %v", len(paged), totals)
	}
	r := e.do("GET", path+"?offset=20&limit=3", "", "")
	r.want(t, http.StatusOK, nil)
	if c := api.NextCursor(r.header); c != api.Cursor("tickets", "1/22") {
		t.Errorf("offset 20 limit 3: next cursor %q", c)
	}
	var rest []ledger.Ticket
	e.do("GET", path+"?cursor="+api.NextCursor(r.header), "", "").want(t, http.StatusOK, &rest)
	if len(rest) != 2 || rest[0].Seat != seats[23] {
		t.Errorf("after offset 20 limit 3: %d tickets", len(rest))
	}
	raw := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, q := range []string{"?cursor=%%%", "?cursor=" + raw("customers:3"), "?cursor=" + raw("tickets:x"), "?cursor=" + raw("tickets:9"),
		"?cursor=" + raw("tickets:1/x"), "?cursor=" + raw("tickets:1/-1"), "?cursor=" + raw("tickets:1/03"), "?cursor=" + raw("tickets:/3"),
		"?cursor=", "?cursor=" + raw("tickets:1/9") + "&offset=2", "?cursor=" + raw("tickets:1/9") + "&limit=99999999"} {
		e.do("GET", path+q, "", "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
	}
}

// TestTicketListCursorAcrossSales: a cursor handed out during one sale is refused with a
// 409 in words once the sale has ended, rather than joining its pages to another list.
func TestTicketListCursorAcrossSales(t *testing.T) {
	e := newEnv(t)
	addr, _ := e.stadiumOnSale(25)
	path := api.ContractPath(addr, "Tickets")
	r := e.do("GET", path+"?limit=10", "", "")
	r.want(t, http.StatusOK, nil)
	next := api.NextCursor(r.header)
	e.do("GET", path+"?cursor="+next, "", "").want(t, http.StatusOK, nil)
	e.clock.AdvanceBlocks(101)
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	if _, err := e.store.Contracts.EndSale(admin, addr); err != nil {
		t.Fatal(err)
	}
	e.do("GET", path+"?cursor="+next, "", "").wantError(t, http.StatusConflict, ledger.ECONFLICT)
	var fresh []ledger.Ticket
	r = e.do("GET", path+"?limit=10", "", "")
	r.want(t, http.StatusOK, &fresh)
	if c := api.NextCursor(r.header); c != api.Cursor("tickets", "0/9") || len(fresh) != 10 {
		t.Errorf("after the sale: %d tickets, next cursor %q", len(fresh), c)
	}
}

// TestTicketListUnpagedUnchanged: without parameters the list is the bare JSON array,
// byte for byte as before paging came, with only X-Total-Count added and no Link.
func TestTicketListUnpagedUnchanged(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"},{"number":1,"letter":"B"}]`)
	r := e.do("GET", api.ContractPath(addr, "Tickets"), "", "")
	want := `[{"seat":{"number":1,"letter":"A"},"price":0,"address":"CGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnpL","secret":"","customerIdentifier":""}
,{"seat":{"number":1,"letter":"B"},"price":0,"address":"CGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnpL","secret":"","customerIdentifier":""}
]
`
	r.want(t, http.StatusOK, nil)
	if string(r.body) != want {
		t.Errorf("unpaged list:\n%s\nwant\n%s", r.body, want)
	}
	if r.header.Get(api.TotalCountHeader) != "2" || r.header.Get("Link") != "" {
		t.Errorf("unpaged list: X-Total-Count %q, Link %q", r.header.Get(api.TotalCountHeader), r.header.Get("Link"))
	}
}
