package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
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
// from page to page, with or without asking for gzip (asked for explicitly, so that
// every page is checked to come compressed, and decompressed here): the tickets and the
// totals seen. between, when not nil, runs after each page but the last, given the
// number of pages read.
func (e *env) pageThrough(path string, limit int, gzip bool, between func(pages int)) ([]ledger.Ticket, []int) {
	e.t.Helper()
	var all []ledger.Ticket
	var totals []int
	next := path + "?limit=" + strconv.Itoa(limit)
	for next != "" {
		req, _ := http.NewRequest("GET", e.srv.URL+next, nil)
		req.Header.Set("Accept-Encoding", map[bool]string{false: "identity", true: "gzip"}[gzip])
		r := e.send(req)
		if got := r.header.Get("Content-Encoding"); (got == "gzip") != gzip {
			e.t.Fatalf("page %d: Content-Encoding %q, gzip asked for: %v", len(totals), got, gzip)
		}
		if gzip {
			r.body = gunzip(e.t, r.body)
		}
		var page []ledger.Ticket
		r.want(e.t, http.StatusOK, &page)
		all, totals = append(all, page...), append(totals, api.TotalCount(r.header))
		next = ""
		if c := api.NextCursor(r.header); c != "" {
			next = path + "?limit=" + strconv.Itoa(limit) + "&cursor=" + url.QueryEscape(c)
			if between != nil {
				between(len(totals))
			}
		}
		if len(totals) > 100000 {
			e.t.Fatal("the pages never end")
		}
	}
	return all, totals
}

// TestTicketListCursorStadium: the stadium's 60,000-ticket list paged by cursor over HTTP,
// 1,000 tickets a page, each page gzip-compressed, while seats are sold and held between
// pages, on pages already read and on pages to come: every ticket is seen exactly once,
// in seat order, every page names the total, the seats ahead are listed as sold (their
// holder) or held (status reserved), the seats behind as they were when read, and every
// other ticket as the whole list read before showed it.
func TestTicketListCursorStadium(t *testing.T) {
	if testing.Short() {
		t.Skip("stadium contract in -short mode")
	}
	e := newEnv(t)
	addr, venue := e.stadiumFixtureOnSale()
	whole := e.ticketList(addr)
	live := stadiumWrites{e: e, addr: addr, venue: venue, sold: map[ledger.Seat]string{}, behind: map[ledger.Seat]bool{}}
	live.booking = e.newBooking(addr).ID
	paged, totals := e.pageThrough(api.ContractPath(addr, "Tickets"), 1000, true, live.between)
	checkStadiumPages(t, venue, paged, totals)
	live.check(t, paged)
	for i, tk := range paged {
		if _, sold := live.sold[tk.Seat]; !sold && !slices.Contains(live.held, tk.Seat) && tk != whole[i] {
			t.Fatalf("paged ticket %d = %+v, the whole list said %+v", i, tk, whole[i])
		}
	}
}

// checkStadiumPages checks a paged read of the stadium's list: 60 pages each saying
// X-Total-Count 60,000, and every seat's ticket exactly once, in seat order.
func checkStadiumPages(t *testing.T, venue fixtures.Venue, paged []ledger.Ticket, totals []int) {
	t.Helper()
	if len(paged) != len(venue.Seats) || len(totals) != (len(venue.Seats)+999)/1000 {
		t.Fatalf("%d tickets in %d pages, want %d", len(paged), len(totals), len(venue.Seats))
	}
	seen := make(map[ledger.Seat]int, len(paged))
	for i, tk := range paged {
		seen[tk.Seat]++
		if tk.Seat != venue.Seats[i] {
			t.Fatalf("paged ticket %d is seat %s, want %s", i, tk.Seat, venue.Seats[i])
		}
	}
	for _, s := range venue.Seats {
		if seen[s] != 1 {
			t.Fatalf("seat %s seen %d times", s, seen[s])
		}
	}
	for i, n := range totals {
		if n != len(venue.Seats) {
			t.Fatalf("page %d says X-Total-Count %d", i, n)
		}
	}
}

// stadiumWrites sells and holds seats of the stadium between the pages of a read: the
// seats sold ahead of the read (by holder), held ahead by the booking, and sold behind.
type stadiumWrites struct {
	e       *env
	addr    string
	venue   fixtures.Venue
	booking int64
	sold    map[ledger.Seat]string
	held    []ledger.Seat
	behind  map[ledger.Seat]bool
}

// between runs after page n: on every third page it sells a seat of the next page and
// one of the page just read, and on every fifteenth holds a seat of the next page.
func (w *stadiumWrites) between(n int) {
	if n%3 != 0 {
		return
	}
	ahead, back := w.venue.Seats[n*1000+n], w.venue.Seats[(n-1)*1000+n]
	for _, s := range []ledger.Seat{ahead, back} {
		seat, _ := json.Marshal(s)
		w.sold[s] = w.e.buy(w.addr, string(seat), "fan-"+strconv.Itoa(n), "").Holder
	}
	w.behind[back] = true
	if n%15 == 0 {
		s := w.venue.Seats[n*1000+500]
		seat, _ := json.Marshal(s)
		w.e.do("POST", api.BookingPath(w.booking, "tickets"), w.e.shop, `{"seats":[`+string(seat)+`]}`).want(w.e.t, http.StatusOK, nil)
		w.held = append(w.held, s)
	}
}

// check finds the writes in the read: the seats sold ahead with their holders, the held
// ones reserved, the ones sold behind as they were read (available).
func (w *stadiumWrites) check(t *testing.T, paged []ledger.Ticket) {
	t.Helper()
	byseat := make(map[ledger.Seat]ledger.Ticket, len(paged))
	for _, tk := range paged {
		byseat[tk.Seat] = tk
	}
	for s, holder := range w.sold {
		if tk := byseat[s]; w.behind[s] != tk.Available() || (!w.behind[s] && tk.Address != holder) {
			t.Errorf("seat %s sold while paging (behind the read: %v) is listed as %+v", s, w.behind[s], tk)
		}
	}
	for _, s := range w.held {
		if tk := byseat[s]; tk.Status != ledger.TicketReserved || tk.Address != ledger.ZeroAddress {
			t.Errorf("seat %s held while paging is listed as %+v", s, tk)
		}
	}
	if len(w.sold) != 2*19 || len(w.held) != 3 {
		t.Fatalf("%d seats sold and %d held while paging, want 38 and 3", len(w.sold), len(w.held))
	}
}

// TestTicketListCursor: cursor pages of a small list, the last page naming no next one,
// offset and cursor not together, and a cursor tampered with (not base64, another list's,
// not an index) refused with a 400 in words.
func TestTicketListCursor(t *testing.T) {
	e := newEnv(t)
	addr, seats := e.stadiumOnSale(25)
	path := api.ContractPath(addr, "Tickets")
	paged, totals := e.pageThrough(path, 10, false, nil)
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
