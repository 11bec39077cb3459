package server_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// tpTicketDoc is the cookbook's "reserve two tickets" body with one ticket's placeholders.
const tpTicketDoc = `{"booking": "{pid of booking from request 2}", "show": "{pid of a show}", "price": "{pid of a price}", "sector": "{pid of a sector}"}`

// tpTickets is the body of POST tickets/ for n tickets of the booking, show and price
// in the sector (or, with a seat's pid, that seat: "seat" then replaces "sector").
func tpTickets(booking, show, price, where string, seats bool, n int) string {
	one := tpFill(tpTicketDoc, "{pid of booking from request 2}", booking, "{pid of a show}", show,
		"{pid of a price}", price, "{pid of a sector}", where)
	if seats {
		one = strings.Replace(one, `"sector"`, `"seat"`, 1)
	}
	return "[\n" + strings.TrimSuffix(strings.Repeat(one+",\n", n), ",\n") + "\n]"
}

type tpBookingRead struct {
	Pid, Status, Show string
	DeliveryMethod    string `json:"delivery_method"`
	Confirmation      bool
	Customer          struct{ Pid, Firstname string }
	Tickets           []struct {
		Pid, Code, Status, Sector, Price, QR string
		Confirmation                         bool
		SeatString                           string `json:"seat_string"`
		HostName                             string `json:"denormalized_host_name"`
		EventName                            string `json:"denormalized_event_name"`
		ShowStart                            string `json:"denormalized_show_start"`
		VenueName                            string `json:"denormalized_venue_name"`
		SectorName                           string `json:"denormalized_sector_name"`
		PriceName                            string `json:"denormalized_price_name"`
		Amount                               string `json:"denormalized_price_including_vat"`
		Currency                             string `json:"denormalized_currency_pid"`
	}
}

// tpCapacity reads a show's capacity.
func (e *env) tpCapacity(show string) tpCapacityAnswer {
	e.t.Helper()
	var out tpCapacityAnswer
	e.tpGet("shows/"+show+"?properties[capacity]=1", e.shop, &out)
	return out
}

// TestTicketparkSelling runs seed 003 end to end over HTTP with the cookbooks' bodies:
// the event set up (two shows of it in one venue), a person, a booking, two tickets,
// the confirmation (each ticket's QR, admitted at the gate of the show's contract), the
// booking read as read-booking.md shows it, the show's capacity, and the mail asked for.
// The second show sells the same places at the same time, a seat by its pid.
func TestTicketparkSelling(t *testing.T) {
	e := newEnv(t)
	s := e.tpSetUp()
	person := e.tpCreate("persons/", e.shop, tpPersonDoc, 1)[0]
	booking := e.tpCreate("bookings/", e.shop, tpFill(tpBookingDoc, "{pid of person from request 1}", person), 1)[0]
	tickets := e.tpCreate("tickets/", e.shop, tpTickets(booking, s.shows[0], s.prices[0], s.sectors[0], false, 2), 2)
	if c := e.tpCapacity(s.shows[0]).Capacity.Total; c.Sold != 2 || c.Available != 1498 {
		t.Errorf("capacity with two tickets held: %+v", c)
	}
	other := e.tpCreate("bookings/", e.shop, tpFill(tpBookingDoc, "{pid of person from request 1}", person), 1)[0]
	e.tpCreate("tickets/", e.shop, tpTickets(other, s.shows[1], s.prices[0], s.sectors[0]+"-1", true, 1), 1)
	e.do("POST", "/ticketpark/tickets/", e.shop, tpTickets(other, s.shows[1], s.prices[0], s.sectors[0]+"-1", true, 1)).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "not available")

	var confirmed tpBookingRead
	e.do("PATCH", "/ticketpark/bookings/"+booking, e.shop, `{"confirmation": true}`).want(t, http.StatusOK, &confirmed)
	if !confirmed.Confirmation || len(confirmed.Tickets) != 2 || confirmed.Tickets[0].QR == "" || confirmed.Customer.Firstname != "Tom" {
		t.Fatalf("PATCH confirmation answered %+v", confirmed)
	}
	var show tpCapacityAnswer
	e.tpGet("shows/"+s.shows[0], e.shop, &show)
	for i, tk := range confirmed.Tickets {
		var res api.CheckInResponse
		e.do("POST", api.ContractPath(show.Contract, "CheckIn"), e.gate, `{"qr": `+jsonString(tk.QR)+`, "gate": "Main", "nonce": "n`+itoa(int64(i))+`"}`).
			want(t, http.StatusOK, &res)
		if len(res.Results) != 1 || res.Results[0].Status != "admitted" {
			t.Errorf("ticket %d at the gate of %s: %+v", i, show.Contract, res)
		}
	}
	var read tpBookingRead
	e.tpGet("bookings/"+booking+"?properties[customer]=true&properties[tickets]=true", e.shop, &read)
	tk := read.Tickets[0]
	if !read.Confirmation || read.Customer.Pid != person || len(read.Tickets) != 2 || tk.QR != "" || !tk.Confirmation ||
		tk.Pid != tickets[0] || tk.Code != strings.ToUpper(tickets[0]) || tk.SeatString != "Tribune A, Place 1" ||
		tk.HostName != "alice" || tk.EventName != "My Fair Lady" || tk.ShowStart != "2030-06-01T12:00:00+0200" ||
		tk.VenueName != "Hallenstadion" || tk.SectorName != "Tribune A" || tk.Sector != s.sectors[0] ||
		tk.PriceName != "Normal price" || tk.Price != s.prices[0] || tk.Amount != "50.00" || tk.Currency != "CHF" {
		t.Fatalf("booking read %+v", read)
	}
	var ofEvent []tpBookingRead
	if r := e.tpGet("events/"+s.event+"/bookings/?properties[customer]=true&properties[tickets]=true&maxResults=10&page=0", e.shop, &ofEvent); r.header.Get("X-Count") != "2" || len(ofEvent[0].Tickets) != 2 {
		t.Errorf("the event's bookings: %+v, x-count %q", ofEvent, r.header.Get("X-Count"))
	}
	e.do("PATCH", "/ticketpark/bookings/"+booking, e.shop, `{"confirmation": true}`).
		wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "already confirmed")
	r := e.do("POST", "/ticketpark/email/send", e.shop, tpFill(`{"booking": "{b}", "type": "confirmation"}`, "{b}", booking))
	r.want(t, http.StatusAccepted, nil)
	if c := e.tpCapacity(s.shows[0]).Capacity.Total; c.Sold != 2 || c.Available != 1498 {
		t.Errorf("capacity of show 1 after its sale: %+v", c)
	}
	if c := e.tpCapacity(s.shows[1]).Capacity.Total; c.Sold != 1 || c.Total != 1500 {
		t.Errorf("capacity of show 2: %+v", c)
	}
}

// TestTicketparkRelease: a booking not confirmed within 30 minutes (the seed's release)
// gives its places back, and confirming it then is refused in words.
func TestTicketparkRelease(t *testing.T) {
	e := newEnv(t)
	s := e.tpSetUp()
	person := e.tpCreate("persons/", e.shop, tpPersonDoc, 1)[0]
	booking := e.tpCreate("bookings/", e.shop, tpFill(tpBookingDoc, "{pid of person from request 1}", person), 1)[0]
	e.tpCreate("tickets/", e.shop, tpTickets(booking, s.shows[0], s.prices[2], s.sectors[1]+"-7", true, 1), 1)
	e.clock.Advance(29 * time.Minute)
	if c := e.tpCapacity(s.shows[0]).Capacity.Total; c.Sold != 1 {
		t.Errorf("capacity after 29 minutes: %+v", c)
	}
	e.clock.Advance(2 * time.Minute)
	if c := e.tpCapacity(s.shows[0]).Capacity.Total; c.Sold != 0 || c.Available != 1500 {
		t.Errorf("capacity after 31 minutes: %+v", c)
	}
	var read tpBookingRead
	e.tpGet("bookings/"+booking+"?properties[customer]=1", e.shop, &read)
	if read.Status != ledger.BookingExpired || read.Confirmation {
		t.Errorf("booking after 31 minutes: %+v", read)
	}
	e.do("PATCH", "/ticketpark/bookings/"+booking, e.shop, `{"confirmation": true}`).
		wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "expired")
}

// TestTicketparkTicketRefusals: tickets naming unknown pids are 404 in words, tickets
// that do not fit their show 4xx in words, and a refused request holds nothing.
func TestTicketparkTicketRefusals(t *testing.T) {
	e := newEnv(t)
	s := e.tpSetUp()
	person := e.tpCreate("persons/", e.shop, tpPersonDoc, 1)[0]
	booking := e.tpCreate("bookings/", e.shop, tpFill(tpBookingDoc, "{pid of person from request 1}", person), 1)[0]
	seat := s.sectors[0] + "-3"
	for _, body := range []string{
		tpTickets("nope", s.shows[0], s.prices[0], seat, true, 1),
		tpTickets(booking, "nope", s.prices[0], seat, true, 1),
		tpTickets(booking, s.shows[0], "nope", seat, true, 1),
		tpTickets(booking, s.shows[0], s.prices[0], "nope", false, 1),
		tpTickets(booking, s.shows[0], s.prices[0], "nope", true, 1),
		tpTickets(booking, s.shows[0], s.prices[0], s.sectors[0]+"-1001", true, 1),
	} {
		e.do("POST", "/ticketpark/tickets/", e.shop, body).wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	}
	for _, body := range []string{
		tpTickets(booking, s.shows[0], s.prices[2], seat, true, 1), // a price of category 2 in Tribune A
		`[{"booking": "` + booking + `", "show": "` + s.shows[0] + `", "price": "` + s.prices[0] + `"}]`,
		tpTickets(booking, s.shows[0], s.prices[0], seat, true, 2), // the same seat twice
		`{"booking": "` + booking + `"}`, `[]`, `{"booking": 5}`,
	} {
		r := e.do("POST", "/ticketpark/tickets/", e.shop, body)
		if r.status != http.StatusBadRequest {
			t.Errorf("POST tickets/ %s: %d %s, want 400", body, r.status, r.body)
		}
	}
	if c := e.tpCapacity(s.shows[0]).Capacity.Total; c.Sold != 0 {
		t.Errorf("refused requests held places: %+v", c)
	}
	e.tpCreate("tickets/", e.shop, tpTickets(booking, s.shows[0], s.prices[0], seat, true, 1), 1)
	e.do("POST", "/ticketpark/tickets/", e.shop, tpTickets(booking, s.shows[1], s.prices[0], seat, true, 1)).
		wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "another booking")
	e.do("POST", "/ticketpark/tickets/", e.gate, tpTickets(booking, s.shows[0], s.prices[0], seat, true, 1)).
		wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
}

// TestTicketparkSectorFull: a sector's places are picked by quantity and never beyond its
// capacity; a refused pick holds nothing, and says how many places remain.
func TestTicketparkSectorFull(t *testing.T) {
	e := newEnv(t)
	venue := e.tpCreate("venues/", e.alice, `{"name": "Club", "city": "Bern"}`, 1)[0]
	sector := e.tpCreate("sectors/", e.alice, `[{"host": "`+venue+`", "name": "Standing", "price_category": 1, "capacity": 3}]`, 1)[0]
	event := e.tpCreate("events/", e.alice, `{"name": "Gig", "currency": "CHF"}`, 1)[0]
	show := e.tpCreate("show/", e.alice, `{"event": "`+event+`", "venue": "`+venue+`", "start": "2030-06-01 20:00:00"}`, 1)[0]
	price := e.tpCreate("prices/", e.alice, `[{"event": "`+event+`", "name": "Entry", "price_category": 1, "price": 25.5}]`, 1)[0]
	person := e.tpCreate("persons/", e.shop, tpPersonDoc, 1)[0]
	first := e.tpCreate("bookings/", e.shop, `{"customer": "`+person+`"}`, 1)[0]
	second := e.tpCreate("bookings/", e.shop, `{"customer": "`+person+`"}`, 1)[0]
	e.tpCreate("tickets/", e.shop, tpTickets(first, show, price, sector, false, 2), 2)
	e.do("POST", "/ticketpark/tickets/", e.shop, tpTickets(second, show, price, sector, false, 2)).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "remain")
	if c := e.tpCapacity(show).Capacity.Total; c.Total != 3 || c.Sold != 2 || c.Available != 1 {
		t.Errorf("capacity after a refused pick: %+v", c)
	}
	e.tpCreate("tickets/", e.shop, tpTickets(second, show, price, sector, false, 1), 1)
	var read tpBookingRead
	e.tpGet("bookings/"+second+"?properties[tickets]=1&properties[customer]=1", e.shop, &read)
	if len(read.Tickets) != 1 || read.Tickets[0].SeatString != "Standing, Place 3" || read.Tickets[0].Amount != "25.50" {
		t.Errorf("second booking %+v", read)
	}
}

// TestTicketparkShowsSellAtOnce: buyers of two shows of one event in one venue, racing,
// each get their places, and neither show's sale blocks or counts the other's.
func TestTicketparkShowsSellAtOnce(t *testing.T) {
	e := newEnv(t)
	s := e.tpSetUp()
	person := e.tpCreate("persons/", e.shop, tpPersonDoc, 1)[0]
	const buyers = 8
	bookings := make([]string, buyers)
	for i := range bookings {
		bookings[i] = e.tpCreate("bookings/", e.shop, `{"customer": "`+person+`"}`, 1)[0]
	}
	statuses := make(chan int, buyers)
	for i, b := range bookings {
		go func() {
			body := tpTickets(b, s.shows[i%2], s.prices[2], s.sectors[1], false, 3)
			req, _ := http.NewRequest("POST", e.srv.URL+"/ticketpark/tickets/", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+e.shop)
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	for range buyers {
		if got := <-statuses; got != http.StatusCreated {
			t.Errorf("a buyer's tickets: status %d, want 201", got)
		}
	}
	for _, show := range s.shows {
		if c := e.tpCapacity(show).Capacity.Total; c.Sold != buyers/2*3 || c.Available != 1500-buyers/2*3 {
			t.Errorf("show %s: %+v", show, c)
		}
	}
}

// TestTicketparkPrices: each of an event's price names is a ticket type of its shows'
// sales, so a ticket costs its own price: a child's place in Tribune A 40.00 beside a
// full one at 50.00, a child's seat in Tribune B 10.00, before and after confirmation.
func TestTicketparkPrices(t *testing.T) {
	e := newEnv(t)
	s := e.tpSetUp()
	person := e.tpCreate("persons/", e.shop, tpPersonDoc, 1)[0]
	booking := e.tpCreate("bookings/", e.shop, tpFill(tpBookingDoc, "{pid of person from request 1}", person), 1)[0]
	body := strings.Replace(tpTickets(booking, s.shows[0], s.prices[0], s.sectors[0], false, 2), s.prices[0], s.prices[1], 1)
	e.tpCreate("tickets/", e.shop, body, 2)
	e.tpCreate("tickets/", e.shop, tpTickets(booking, s.shows[0], s.prices[3], s.sectors[1]+"-5", true, 1), 1)
	want := "Tribune A: Children 40.00; Tribune A: Normal price 50.00; Tribune B, Place 5: Children 10.00"
	for _, patch := range []bool{false, true} {
		var read tpBookingRead
		if patch {
			e.do("PATCH", "/ticketpark/bookings/"+booking, e.shop, `{"confirmation": true, "delivery": true}`).want(t, http.StatusOK, &read)
		} else {
			e.tpGet("bookings/"+booking+"?properties[tickets]=1&properties[customer]=1", e.shop, &read)
		}
		var got []string
		for _, tk := range read.Tickets {
			where := tk.SeatString
			if strings.HasPrefix(where, "Tribune A") {
				where = "Tribune A" // which of the two places is which type is the store's choice
			}
			got = append(got, where+": "+tk.PriceName+" "+tk.Amount)
		}
		sort.Strings(got)
		if patch && (!read.Confirmation || read.DeliveryMethod != "postal") {
			t.Errorf("PATCH with delivery answered %+v", read)
		}
		if strings.Join(got, "; ") != want {
			t.Errorf("confirmed %v: tickets %q, want %q", patch, strings.Join(got, "; "), want)
		}
	}
}
