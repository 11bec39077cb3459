package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The bodies of Ticketpark's cookbooks (docs/cookbook/create-event.md and
// create-booking.md), as a client sends them; {pid of ...} is filled in by tpFill.
const (
	tpVenueDoc  = `{"host": "{pid of your host}", "name": "Hallenstadion", "city": "Zürich"}`
	tpSectorDoc = `[
{"host": "{pid of venue from above}", "name": "Tribune A", "price_category": 1, "capacity": 1000},
{"host": "{pid of venue from above}", "name": "Tribune B", "price_category": 2, "capacity": 500}
]`
	tpEventDoc = `{"host": "{pid of your host}", "name": "My Fair Lady", "allow_digital_dispatch": true, "currency": "CHF"}`
	tpShowDoc  = `{"event": "{pid of event from above}", "venue": "{pid of venue from above}", "start": "2030-06-01 12:00:00"}`
	tpPriceDoc = `[
{"event": "{pid of event from above}", "name": "Normal price", "price_category": 1, "price": 50},
{"event": "{pid of event from above}", "name": "Children", "price_category": 1, "price": 40},
{"event": "{pid of event from above}", "name": "Normal price", "price_category": 2, "price": 20},
{"event": "{pid of event from above}", "name": "Children", "price_category": 2, "price": 10}
]`
	tpPersonDoc = `{"salutation": "m", "firstname": "Tom", "lastname": "Tomson", "email": "tom@tomsons.com",
"address": {"country": "CH", "address1": "Testweg 10", "address2": "", "zip": "3000", "city": "Bern"}}`
	tpBookingDoc = `{"customer": "{pid of person from request 1}"}`
)

// tpFill puts pids in a cookbook body's placeholders, given as pairs.
func tpFill(body string, pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(body)
}

// tpCreate posts a body under /ticketpark/ and returns the pids of its Location headers,
// checking that they are the records' paths and as many as want.
func (e *env) tpCreate(path, key, body string, want int) []string {
	e.t.Helper()
	r := e.do("POST", "/ticketpark/"+path, key, body)
	r.want(e.t, http.StatusCreated, nil)
	var pids []string
	for _, loc := range r.header.Values("Location") {
		collection := strings.TrimSuffix(strings.TrimSuffix(path, "/"), "s") + "s"
		pid, ok := strings.CutPrefix(loc, "/ticketpark/"+collection+"/")
		if !ok || pid == "" {
			e.t.Fatalf("POST %s: Location %q is not a record of %s", path, loc, collection)
		}
		pids = append(pids, pid)
	}
	if len(pids) != want {
		e.t.Fatalf("POST %s: %d Location headers %v, want %d", path, len(pids), pids, want)
	}
	return pids
}

// tpGet reads a record or collection under /ticketpark/ into out.
func (e *env) tpGet(path, key string, out any) response {
	e.t.Helper()
	r := e.do("GET", "/ticketpark/"+path, key, "")
	r.want(e.t, http.StatusOK, out)
	return r
}

// tpSetup is a Ticketpark event set up by the cookbook: a venue of two sectors, an event
// with two shows in it, and its four prices.
type tpSetup struct {
	host, venue, event string
	sectors, shows     []string
	prices             []string
}

// tpSetUp runs the cookbook "create event" with alice's key, two shows instead of one
// (the second through POST shows/), and returns the pids.
func (e *env) tpSetUp() tpSetup {
	e.t.Helper()
	var s tpSetup
	var hosts []struct{ Pid string }
	e.tpGet("hosts/", e.alice, &hosts)
	if len(hosts) != 1 || hosts[0].Pid == "" {
		e.t.Fatalf("hosts/ answered %+v, want the key's host", hosts)
	}
	s.host = hosts[0].Pid
	s.venue = e.tpCreate("venues/", e.alice, tpFill(tpVenueDoc, "{pid of your host}", s.host), 1)[0]
	s.sectors = e.tpCreate("sectors/", e.alice, tpFill(tpSectorDoc, "{pid of venue from above}", s.venue), 2)
	s.event = e.tpCreate("events/", e.alice, tpFill(tpEventDoc, "{pid of your host}", s.host), 1)[0]
	fill := []string{"{pid of event from above}", s.event, "{pid of venue from above}", s.venue}
	s.shows = append(s.shows, e.tpCreate("show/", e.alice, tpFill(tpShowDoc, fill...), 1)[0])
	second := strings.Replace(tpFill(tpShowDoc, fill...), "2030-06-01", "2030-06-02", 1)
	s.shows = append(s.shows, e.tpCreate("shows/", e.alice, second, 1)[0])
	s.prices = e.tpCreate("prices/", e.alice, tpFill(tpPriceDoc, fill...), 4)
	return s
}

type tpCapacityAnswer struct {
	Pid      string
	Contract string
	Capacity struct {
		Total  struct{ Total, Sold, Available int64 }
		Public struct{ Total, Sold, Available int64 }
	}
}

// TestTicketparkSetUp runs the cookbook "create event" over HTTP with its own bodies
// and reads back what a client needs: the venue with its sectors, the event with its
// shows and prices, each show's contract (a contract per show, both on sale at once
// in one venue) and capacity, and the collections paged with x-count.
func TestTicketparkSetUp(t *testing.T) {
	e := newEnv(t)
	s := e.tpSetUp()
	var venue struct {
		Pid, Host, Name, City string
		Sectors               []struct {
			Pid, Name               string
			PriceCategory, Capacity int64 `json:"-"`
		}
	}
	e.tpGet("venues/"+s.venue+"?properties[sectors]=1", e.alice, &venue)
	if venue.Name != "Hallenstadion" || venue.City != "Zürich" || venue.Host != s.host || len(venue.Sectors) != 2 || venue.Sectors[1].Pid != s.sectors[1] {
		t.Fatalf("venue read %+v", venue)
	}
	var event struct {
		Name, Currency string
		Shows          []struct{ Pid, Start, Contract string }
		Prices         []struct {
			Pid, Name string
			Price     json.Number
		}
	}
	e.tpGet("events/"+s.event+"?properties[shows]=1&properties[prices]=1", e.alice, &event)
	if event.Currency != "CHF" || len(event.Shows) != 2 || len(event.Prices) != 4 || event.Prices[0].Price.String() != "50.00" ||
		event.Shows[0].Start != "2030-06-01T12:00:00+0200" {
		t.Fatalf("event read %+v", event)
	}
	contracts := map[string]bool{}
	for _, pid := range s.shows {
		var show tpCapacityAnswer
		e.tpGet("shows/"+pid+"?properties[capacity]=1", e.shop, &show)
		if c := show.Capacity.Total; c.Total != 1500 || c.Sold != 0 || c.Available != 1500 || show.Capacity.Public != c {
			t.Errorf("show %s capacity %+v", pid, show.Capacity)
		}
		var c ledger.Contract
		e.do("GET", api.ContractPath(show.Contract, ""), "", "").want(t, http.StatusOK, &c)
		if c.Sale == nil || !c.Sale.Active || c.SeatCount != 1500 || c.Sale.Details.Currency != "CHF" {
			t.Errorf("show %s's contract %+v", pid, c)
		}
		contracts[show.Contract] = true
	}
	if len(contracts) != 2 {
		t.Errorf("two shows share a contract: %v", contracts)
	}
	var page []struct{ Pid string }
	r := e.tpGet("shows/?maxResults=1&page=1", e.alice, &page)
	if r.header.Get("X-Count") != "2" || len(page) != 1 || page[0].Pid != s.shows[1] {
		t.Errorf("shows page 1 of 1: %+v, x-count %q", page, r.header.Get("X-Count"))
	}
	r = e.tpGet("prices?event="+s.event, e.alice, &page)
	if r.header.Get("X-Count") != "4" || len(page) != 4 {
		t.Errorf("prices of the event: %d, x-count %q", len(page), r.header.Get("X-Count"))
	}
	e.tpGet("venues/", e.bob, &page)
	if len(page) != 0 {
		t.Errorf("bob sees alice's venues: %+v", page)
	}
}

// TestTicketparkPersonsAndBookings runs the first two steps of the cookbook "create
// booking" with the box office's key: a person, a booking of theirs, both read back.
func TestTicketparkPersonsAndBookings(t *testing.T) {
	e := newEnv(t)
	person := e.tpCreate("persons/", e.shop, tpPersonDoc, 1)[0]
	booking := e.tpCreate("bookings/", e.shop, tpFill(tpBookingDoc, "{pid of person from request 1}", person), 1)[0]
	var b struct {
		Pid, PidReadable string `json:"-"`
		Confirmation     bool
		DeliveryMethod   string `json:"delivery_method"`
		Customer         struct {
			Pid, Firstname, Lastname, Email string
			Address                         struct{ City, Country string }
		}
	}
	e.tpGet("bookings/"+booking+"?properties[customer]=true&properties[tickets]=true", e.shop, &b)
	if b.Confirmation || b.DeliveryMethod != "digital" || b.Customer.Pid != person || b.Customer.Firstname != "Tom" || b.Customer.Address.City != "Bern" {
		t.Fatalf("booking read %+v", b)
	}
	var list []struct{ Pid string }
	if r := e.tpGet("bookings/", e.shop, &list); r.header.Get("X-Count") != "1" || list[0].Pid != booking {
		t.Errorf("bookings/ %+v, x-count %q", list, r.header.Get("X-Count"))
	}
	e.do("POST", "/ticketpark/email/send", e.shop, `{"booking": "`+booking+`", "type": "confirmation"}`).
		wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "not confirmed")
}

// TestTicketparkRefusals: unknown pids are 404 in words, bad bodies 4xx in words, keys
// that may not act 401 or 403, and a price after its shows went on sale 409.
func TestTicketparkRefusals(t *testing.T) {
	e := newEnv(t)
	s := e.tpSetUp()
	for _, path := range []string{"venues/nope", "sectors/nope", "events/nope", "shows/nope", "show/nope", "prices/nope",
		"bookings/nope", "persons/nope", "persons/123", "hosts/nope"} {
		e.do("GET", "/ticketpark/"+path, e.alice, "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	}
	e.do("GET", "/ticketpark/venues/"+s.venue, e.bob, "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	e.do("POST", "/ticketpark/bookings/", e.shop, `{"customer": "999"}`).wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	e.do("POST", "/ticketpark/bookings/", e.shop, `{}`).wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "needs a customer")
	e.do("POST", "/ticketpark/show/", e.alice, `{"event": "`+s.event+`", "venue": "nope", "start": "2030-06-01 12:00:00"}`).
		wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	e.do("POST", "/ticketpark/sectors/", e.alice, `[{"host": "nope", "name": "X", "price_category": 1, "capacity": 5}]`).
		wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	e.do("POST", "/ticketpark/venues/", e.alice, `{"host": "key:999", "name": "X"}`).wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	for path, body := range map[string]string{
		"sectors/":    `[{"host": "` + s.venue + `", "name": "C", "price_category": 1}]`,
		"sectors":     `[{"host": "` + s.venue + `", "name": "Tribune A", "price_category": 1, "capacity": 5}]`,
		"events/":     `{"name": "No currency"}`,
		"show/":       `{"event": "` + s.event + `", "venue": "` + s.venue + `", "start": "tomorrow"}`,
		"shows/":      `{"event": "` + s.event + `", "venue": "` + s.venue + `", "start": "2020-06-01 12:00:00"}`,
		"venues/":     `[]`,
		"venues":      `5`,
		"persons/":    `{"firstname": "No last name"}`,
		"prices/":     `[{"event": "` + s.event + `", "name": "Odd", "price_category": 1, "price": 1.005}]`,
		"bookings/":   `{"customer": 7`,
		"email/send":  `{"booking": "x", "type": "invoice"}`,
		"sectors/ ":   `{"host": "` + s.venue + `", "name": "a/b", "price_category": 1, "capacity": 5}`,
		"events":      `[{"name": "E", "currency": "CHF"}, 3]`,
		"prices/ ":    `{"event": "` + s.event + `", "name": "Cheap", "price_category": 1, "price": "cheap"}`,
		"venues/ ":    `{"name": 7}`,
		"persons":     `{"firstname": "A", "lastname": "B", "email": "not-mail"}`,
		"show":        `{"event": "` + s.event + `", "venue": "` + s.venue + `"}`,
		"bookings":    `{}`,
		"sectors/  ":  `{"host": "` + s.venue + `", "name": "D", "price_category": -1, "capacity": 5}`,
		"prices/   ":  `{"event": "` + s.event + `", "price_category": 1, "price": 5}`,
		"events/    ": `{"name": "", "currency": "CHF"}`,
	} {
		r := e.do("POST", "/ticketpark/"+strings.TrimSpace(path), e.alice, body)
		if path == "persons/" || path == "persons" || path == "bookings" || path == "bookings/" || path == "email/send" {
			r = e.do("POST", "/ticketpark/"+strings.TrimSpace(path), e.shop, body)
		}
		var out api.ErrorResponse
		if r.status < 400 || r.status >= 500 || json.Unmarshal(r.body, &out) != nil {
			t.Errorf("POST %s %s: %d %s, want a 4xx error", path, body, r.status, r.body)
			continue
		}
		checkSentence(t, out.Error)
	}
	e.do("POST", "/ticketpark/prices/", e.alice, tpFill(`{"event": "{e}", "name": "Late", "price_category": 1, "price": 5}`, "{e}", s.event)).
		wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "on sale")
	e.do("GET", "/ticketpark/venues/", "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	e.do("POST", "/ticketpark/venues/", e.gate, tpVenueDoc).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("POST", "/ticketpark/venues/", e.shop, `{"name": "X"}`).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", "/ticketpark/bookings/", e.gate, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", "/ticketpark/venues/?maxResults=0", e.alice, "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
	e.do("GET", "/ticketpark/venues/?page=-1", e.alice, "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
}
