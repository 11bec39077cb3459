package server_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// bamEvent asks the facade for the contract as an event, with the shop's key.
func (e *env) bamEvent(addr string) api.BamEvent {
	e.t.Helper()
	var out api.BamData[api.BamEvent]
	e.do("POST", api.BamPrefix+"v1/event", e.shop, `{"contract":"`+addr+`"}`).want(e.t, http.StatusOK, &out)
	ev := out.Data
	if ev.ID <= 0 || len(ev.Timeslot) != 1 || len(ev.Sector) == 0 || len(ev.TicketConfig) != 1 {
		e.t.Fatalf("event %+v", ev)
	}
	return ev
}

// bamReserveBody is seed 002's reserve body for the owner: one item of the event's
// first sector, timeslot and ticket config, asking for quantity tickets, with seats
// (JSON) when not empty.
func bamReserveBody(ev api.BamEvent, owner, format string, quantity int, seats string) string {
	item := fmt.Sprintf(`{"ticket_config_id":%d,"quantity":%d,"timeslot_id":%d,"sector_id":%d`,
		ev.TicketConfig[0].ID, quantity, ev.Timeslot[0].ID, ev.Sector[0].ID)
	if seats != "" {
		item += `,"seats":` + seats
	}
	return fmt.Sprintf(`{"event_id":%d,"owner_id":%s,"format":%q,"ticket_reservation_items":[%s}]}`, ev.ID, owner, format, item)
}

// bamTickets posts the body to the route and wants status and the tickets.
func (e *env) bamTickets(route, key, body string, status int) []api.BamTicket {
	e.t.Helper()
	var out api.BamData[[]api.BamTicket]
	e.do("POST", api.BamPrefix+route, key, body).want(e.t, status, &out)
	return out.Data
}

// bamIDs is the body of free and issue for the tickets.
func bamIDs(ts ...api.BamTicket) string {
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = strconv.FormatInt(t.ID, 10)
	}
	return `{"ids":[` + strings.Join(ids, ",") + `]}`
}

// TestBamReserveFreeIssue runs seed 002's flow over HTTP: the event's numbers, reserve
// (the tickets reserved for the owner, with ids), free one, issue the rest (fresh QR
// texts the gate verifies), and the refusals in words: issuing part of a reservation,
// issuing or freeing twice, reserving an issued seat.
func TestBamReserveFreeIssue(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	ev := e.bamEvent(addr)
	owner := e.newCustomer()
	body := bamReserveBody(ev, `"`+itoa(owner)+`"`, "SECURE", 2, `[`+seatJSON(1, "A")+`,`+seatJSON(2, "A")+`]`)
	held := e.bamTickets("ticket/reserve", e.shop, body, http.StatusCreated)
	if len(held) != 2 || held[0].Status != "reserved" || held[0].OwnerID == nil || *held[0].OwnerID != itoa(owner) ||
		held[0].EventID != ev.ID || held[0].TimeslotID != ev.Timeslot[0].ID || held[0].TicketConfigID != ev.TicketConfig[0].ID ||
		held[0].ID == held[1].ID || held[0].Price+held[1].Price != 130 || held[0].Format != ledger.FormatSecure {
		t.Fatalf("reserved %+v", held)
	}
	e.do("POST", api.ContractPath(addr, "ReserveTicket"), e.shop, reserveBody(seatJSON(1, "A"), "walk-in", "")).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "not available")
	e.do("POST", api.BamPrefix+"ticket/issue", e.shop, bamIDs(held[0])).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "issue them together")
	freed := e.bamTickets("ticket/free", e.shop, bamIDs(held[1]), http.StatusOK)
	if len(freed) != 1 || freed[0].Status != "available" || freed[0].OwnerID != nil || freed[0].ID != held[1].ID || freed[0].Format != ledger.FormatPDF {
		t.Fatalf("freed %+v", freed)
	}
	r := e.do("POST", api.BamPrefix+"ticket/issue", e.shop, bamIDs(held[0]))
	var issued api.BamData[[]api.BamTicket]
	r.want(t, http.StatusCreated, &issued)
	got := issued.Data
	if len(got) != 1 || got[0].Status != "issued" || got[0].Format != ledger.FormatSecure || got[0].QR == "" || got[0].Secret == nil || got[0].ID != held[0].ID || r.header.Get("X-Transaction-Hash") == "" {
		t.Fatalf("issued %+v", got)
	}
	if res := e.scan("VerifyTicket", addr, e.gate, got[0].QR, "North", ""); len(res) != 1 || res[0].Status != ledger.StatusValid {
		t.Fatalf("the issued ticket does not verify at the gate: %+v", res)
	}
	e.do("POST", api.BamPrefix+"ticket/issue", e.shop, bamIDs(held[0])).wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "already issued")
	e.do("POST", api.BamPrefix+"ticket/free", e.shop, bamIDs(held[0])).wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "already issued")
	e.do("POST", api.BamPrefix+"ticket/free", e.shop, bamIDs(held[1])).wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "not reserved")
	e.do("POST", api.BamPrefix+"ticket/reserve", e.shop, bamReserveBody(ev, itoa(owner), "PDF", 1, `[`+seatJSON(1, "A")+`]`)).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "not available")
	var again api.BamData[api.BamEvent]
	e.do("GET", api.BamPrefix+"v1/event/"+itoa(ev.ID), e.alice, "").want(t, http.StatusOK, &again)
	if again.Data.ID != ev.ID || again.Data.Timeslot[0].ID != ev.Timeslot[0].ID || again.Data.Sector[0].ID != ev.Sector[0].ID {
		t.Errorf("the event's numbers changed: %+v, then %+v", ev, again.Data)
	}
	e.transactionCount() // the journal verifies
}

// TestBamFreeWholeReservation: freeing every ticket of a reservation cancels it, and its
// seats are on sale again.
func TestBamFreeWholeReservation(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	ev := e.bamEvent(addr)
	held := e.bamTickets("ticket/reserve", e.shop, bamReserveBody(ev, itoa(e.newCustomer()), "", 2, `[`+seatJSON(1, "B")+`,`+seatJSON(2, "A")+`]`), http.StatusCreated)
	e.bamTickets("ticket/free", e.shop, `{"ticket_ids":[`+itoa(held[0].ID)+`,`+itoa(held[1].ID)+`]}`, http.StatusOK)
	e.do("POST", api.ContractPath(addr, "ReserveTicket"), e.shop, reserveBody(seatJSON(2, "A"), "walk-in", "")).want(t, http.StatusCreated, nil)
	e.transactionCount()
}

// TestBamBadBodies: every malformed or unknown number is a 4xx in words, and nothing is
// held afterwards: the three seats are all still on sale.
func TestBamBadBodies(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	ev := e.bamEvent(addr)
	owner := itoa(e.newCustomer())
	seat := `[` + seatJSON(1, "A") + `]`
	good := bamReserveBody(ev, owner, "PDF", 1, seat)
	slot, sector, config := itoa(ev.Timeslot[0].ID), itoa(ev.Sector[0].ID), itoa(ev.TicketConfig[0].ID)
	for _, c := range []struct {
		name, body, code, words string
		status                  int
	}{
		{"quantity 0", bamReserveBody(ev, owner, "PDF", 0, ""), ledger.EINVALID, "quantity must be at least 1", 400},
		{"quantity negative", bamReserveBody(ev, owner, "PDF", -2, ""), ledger.EINVALID, "quantity", 400},
		{"quantity huge", bamReserveBody(ev, owner, "PDF", 1000, ""), ledger.EINVALID, "more than the 500", 400},
		{"seats and quantity differ", bamReserveBody(ev, owner, "PDF", 2, seat), ledger.EINVALID, "names 1 seats", 400},
		{"format", bamReserveBody(ev, owner, "EPUB", 1, seat), ledger.EINVALID, "PDF or SECURE", 400},
		{"owner word", strings.Replace(good, `"owner_id":`+owner, `"owner_id":"abc"`, 1), ledger.EINVALID, "owner_id", 400},
		{"owner unknown", strings.Replace(good, `"owner_id":`+owner, `"owner_id":"12345"`, 1), ledger.ENOTFOUND, "No customer", 404},
		{"no owner", strings.Replace(good, `"owner_id":`+owner+`,`, ``, 1), ledger.EINVALID, "owner_id", 400},
		{"event unknown", strings.Replace(good, `"event_id":`+itoa(ev.ID), `"event_id":77`, 1), ledger.ENOTFOUND, "No event", 404},
		{"event word", strings.Replace(good, `"event_id":`+itoa(ev.ID), `"event_id":"x"`, 1), ledger.EINVALID, "event_id", 400},
		{"timeslot unknown", strings.Replace(good, `"timeslot_id":`+slot, `"timeslot_id":9`, 1), ledger.ENOTFOUND, "no timeslot 9", 404},
		{"sector unknown", strings.Replace(good, `"sector_id":`+sector, `"sector_id":9`, 1), ledger.ENOTFOUND, "no sector 9", 404},
		{"config unknown", strings.Replace(good, `"ticket_config_id":`+config, `"ticket_config_id":9`, 1), ledger.ENOTFOUND, "no ticket config 9", 404},
		{"no items", `{"event_id":` + itoa(ev.ID) + `,"owner_id":` + owner + `,"ticket_reservation_items":[]}`, ledger.EINVALID, "at least one item", 400},
		{"seat unknown", bamReserveBody(ev, owner, "PDF", 2, `[`+seatJSON(1, "A")+`,`+seatJSON(9, "Z")+`]`), ledger.EREFUSED, "9Z", 400},
		{"seat twice", bamReserveBody(ev, owner, "PDF", 2, `[`+seatJSON(1, "A")+`,`+seatJSON(1, "A")+`]`), ledger.EINVALID, "twice", 400},
		{"not JSON", `{"event_id":`, ledger.EINVALID, "JSON", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.do("POST", api.BamPrefix+"ticket/reserve", e.shop, c.body).wantErrorText(t, c.status, c.code, c.words)
		})
	}
	for _, c := range []struct {
		name, route, body, code, words string
		status                         int
	}{
		{"free nothing", "ticket/free", `{"ids":[]}`, ledger.EINVALID, "ids must list", 400},
		{"free no ticket id", "ticket/free", `{"ids":[5]}`, ledger.EINVALID, "not a ticket id", 400},
		{"free unknown", "ticket/free", `{"ids":[` + itoa(ledger.BamTicketID(12345, 0)) + `]}`, ledger.ENOTFOUND, "No ticket", 404},
		{"issue unknown seat", "ticket/issue", `{"ids":[` + itoa(ledger.BamTicketID(ev.Timeslot[0].ID, 99)) + `]}`, ledger.ENOTFOUND, "No ticket", 404},
		{"issue available", "ticket/issue", `{"ids":[` + itoa(ledger.BamTicketID(ev.Timeslot[0].ID, 0)) + `]}`, ledger.ECONFLICT, "not reserved", 409},
		{"issue twice in body", "ticket/issue", `{"ids":[1000001,1000001]}`, ledger.EINVALID, "twice", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.do("POST", api.BamPrefix+c.route, e.shop, c.body).wantErrorText(t, c.status, c.code, c.words)
		})
	}
	e.do("POST", api.BamPrefix+"ticket/reserve", e.gate, good).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("POST", api.BamPrefix+"ticket/reserve", "", good).wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	e.do("POST", api.BamPrefix+"ticket/reserve", e.bob, good).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", api.BamPrefix+"v1/event/x", e.shop, "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
	e.do("POST", api.BamPrefix+"v1/event", e.shop, `{"contract":"nope"}`).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	for _, s := range []string{"1A", "1B", "2A"} {
		if got := e.ticketOf(addr, mustSeat(t, s)); got.Address != ledger.ZeroAddress {
			t.Errorf("seat %s is not on sale after the refused reservations: %+v", s, got)
		}
	}
	e.bamTickets("ticket/reserve", e.shop, good, http.StatusCreated)
}

func mustSeat(t *testing.T, text string) ledger.Seat {
	t.Helper()
	s, err := ledger.ParseSeat(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// festival is a contract of alice's with four seats in the Stalls and a standing section
// of five places, its sale open: every seat and place priced 40.
func (e *env) festival() string {
	e.t.Helper()
	var out api.CreateContractResponse
	seats := `[{"number":1,"letter":"A","section":"Stalls"},{"number":2,"letter":"A","section":"Stalls"},{"number":3,"letter":"A","section":"Stalls"},{"number":1,"letter":"B","section":"Stalls"}]`
	e.do("POST", api.Base, e.alice, `{"venue":"Park","seats":`+seats+`,"standing":[{"section":"Standing","capacity":5}],`+e.wallet()+`}`).
		want(e.t, http.StatusCreated, &out)
	var prices []string
	for _, s := range []string{`1,"letter":"A","section":"Stalls"`, `2,"letter":"A","section":"Stalls"`, `3,"letter":"A","section":"Stalls"`, `1,"letter":"B","section":"Stalls"`} {
		prices = append(prices, `{"seat":{"number":`+s+`},"price":40}`)
	}
	for n := 1; n <= 5; n++ {
		prices = append(prices, `{"seat":{"number":`+strconv.Itoa(n)+`,"section":"Standing"},"price":40}`)
	}
	e.do("POST", api.ContractPath(out.Address, "BeginSale"), e.alice, e.saleBody("["+strings.Join(prices, ",")+"]", 1000)).want(e.t, http.StatusCreated, nil)
	return out.Address
}

// sectorID returns the id of the event's sector of the section.
func sectorID(t *testing.T, ev api.BamEvent, section string) int64 {
	t.Helper()
	for _, s := range ev.Sector {
		if s.Name == section {
			return s.ID
		}
	}
	t.Fatalf("event %d has no sector %q: %+v", ev.ID, section, ev.Sector)
	return 0
}

// seedReserveBody is seed 002's reserve body exactly: items of (sector, quantity) of the
// event's timeslot and ticket config, no seats named.
func seedReserveBody(ev api.BamEvent, owner int64, format string, items ...any) string {
	var parts []string
	for i := 0; i < len(items); i += 2 {
		parts = append(parts, fmt.Sprintf(`{"ticket_config_id":%d,"quantity":%d,"timeslot_id":%d,"sector_id":%d}`,
			ev.TicketConfig[0].ID, items[i+1], ev.Timeslot[0].ID, items[i]))
	}
	return fmt.Sprintf(`{"event_id":%d,"owner_id":"%d","format":%q,"ticket_reservation_items":[%s]}`, ev.ID, owner, format, strings.Join(parts, ","))
}

// TestBamSeedFlow runs seed 002's reserve/free/issue flow with its own bodies (quantities,
// the ledger choosing): best-available seats in the Stalls and places in the standing
// section; a quantity above what remains is refused in words and leaves nothing held, even
// when an earlier item of the same request was held; freed places are reserved again.
func TestBamSeedFlow(t *testing.T) {
	e := newEnv(t)
	addr := e.festival()
	ev := e.bamEvent(addr)
	stalls, standing := sectorID(t, ev, "Stalls"), sectorID(t, ev, "Standing")
	owner := e.newCustomer()
	held := e.bamTickets("ticket/reserve", e.shop, seedReserveBody(ev, owner, "PDF", stalls, 3, standing, 2), http.StatusCreated)
	var seats []string
	for _, h := range held {
		seats = append(seats, h.Seat.String())
		if h.Status != "reserved" || h.Format != ledger.FormatPDF || *h.OwnerID != itoa(owner) {
			t.Errorf("reserved %+v", h)
		}
	}
	if got := strings.Join(seats, " "); got != "Stalls/1A Stalls/2A Stalls/3A Standing/1 Standing/2" {
		t.Fatalf("reserved %s; want the three adjacent seats of row A and two places", got)
	}
	other := e.newCustomer()
	e.do("POST", api.BamPrefix+"ticket/reserve", e.shop, seedReserveBody(ev, other, "SECURE", standing, 4)).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "Item 1")
	e.do("POST", api.BamPrefix+"ticket/reserve", e.shop, seedReserveBody(ev, other, "SECURE", standing, 3, stalls, 2)).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "Item 2")
	mine := e.bamTickets("ticket/reserve", e.shop, seedReserveBody(ev, other, "SECURE", standing, 3, stalls, 1), http.StatusCreated)
	if len(mine) != 4 || mine[0].Seat.String() != "Stalls/1B" || mine[1].Seat.String() != "Standing/3" || mine[0].Format != ledger.FormatSecure {
		t.Fatalf("the second owner's reservation %+v: the refused requests must have left the places free", mine)
	}
	e.bamTickets("ticket/free", e.shop, bamIDs(held[3], held[4]), http.StatusOK)
	again := e.bamTickets("ticket/reserve", e.shop, seedReserveBody(ev, other, "PDF", standing, 2), http.StatusCreated)
	if again[0].Seat.String() != "Standing/1" || again[1].Seat.String() != "Standing/2" {
		t.Errorf("the freed places were not reserved again: %+v", again)
	}
	issued := e.bamTickets("ticket/issue", e.shop, bamIDs(held[:3]...), http.StatusCreated)
	for _, it := range issued {
		if it.Status != "issued" || it.QR == "" {
			t.Errorf("issued %+v", it)
		}
		if res := e.admitOne(addr, it.QR, "North"); res.Status != ledger.StatusAdmitted {
			t.Errorf("ticket %d at the gate: %+v", it.ID, res)
		}
	}
	e.do("POST", api.BamPrefix+"ticket/free", e.shop, bamIDs(issued[0])).wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "already activated")
	e.transactionCount()
}

// bamList asks GET /bam/v1/ticket with the query and wants 200 and the page.
func (e *env) bamList(key, query string) ([]api.BamListedTicket, response) {
	e.t.Helper()
	var out api.BamData[[]api.BamListedTicket]
	r := e.do("GET", api.BamPrefix+"v1/ticket?"+query, key, "")
	r.want(e.t, http.StatusOK, &out)
	return out.Data, r
}

// TestBamTicketList: GET v1/ticket lists the owner's tickets with seed 002's filters
// (format, status, ids), order (sort_by, direction), with_enrollment_id and relations
// (with), paged by Link; bad parameters are 400 in words.
func TestBamTicketList(t *testing.T) {
	e := newEnv(t)
	addr := e.festival()
	ev := e.bamEvent(addr)
	stalls, standing := sectorID(t, ev, "Stalls"), sectorID(t, ev, "Standing")
	ann, bea := e.newCustomer(), e.newCustomer()
	seated := e.bamTickets("ticket/reserve", e.shop, seedReserveBody(ev, ann, "PDF", stalls, 2), http.StatusCreated)
	e.bamTickets("ticket/issue", e.shop, bamIDs(seated...), http.StatusCreated)
	places := e.bamTickets("ticket/reserve", e.shop, seedReserveBody(ev, ann, "SECURE", standing, 2), http.StatusCreated)
	e.bamTickets("ticket/reserve", e.shop, seedReserveBody(ev, bea, "PDF", standing, 1), http.StatusCreated)
	owner := "owner_id=" + itoa(ann)
	all, r := e.bamList(e.shop, owner)
	if len(all) != 4 || r.header.Get(api.TotalCountHeader) != "4" || all[0].ID != seated[0].ID || all[0].EnrollmentID != nil {
		t.Fatalf("Ann's tickets: %+v (total %s)", all, r.header.Get(api.TotalCountHeader))
	}
	for _, c := range []struct {
		query string
		want  []int64
	}{
		{"&format=SECURE", []int64{places[0].ID, places[1].ID}},
		{"&status=issued", []int64{seated[0].ID, seated[1].ID}},
		{"&status=reserved&format=pdf", nil},
		{"&sort_by=status&direction=desc", []int64{seated[1].ID, seated[0].ID, places[1].ID, places[0].ID}},
		{"&ids=" + itoa(places[1].ID) + "," + itoa(seated[0].ID), []int64{seated[0].ID, places[1].ID}},
	} {
		got, _ := e.bamList(e.shop, owner+c.query)
		var ids []int64
		for _, g := range got {
			ids = append(ids, g.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(c.want) {
			t.Errorf("%s: tickets %v, want %v", c.query, ids, c.want)
		}
	}
	rich, _ := e.bamList(e.shop, owner+"&with_enrollment_id=true&with=[ticket_holder,ticket_config.event,sector]&limit=1")
	if len(rich) != 1 || rich[0].EnrollmentID == nil || *rich[0].EnrollmentID != itoa(ann) || rich[0].TicketHolder == nil ||
		rich[0].TicketHolder.LastName != "Example" || rich[0].TicketConfig == nil || rich[0].TicketConfig.Event == nil ||
		rich[0].TicketConfig.Event.ID != ev.ID || rich[0].Sector == nil || rich[0].Sector.Name != "Stalls" || rich[0].Event != nil {
		t.Fatalf("with relations: %+v", rich)
	}
	_, first := e.bamList(e.shop, owner+"&limit=3")
	link := first.header.Get("Link")
	start, end := strings.Index(link, "<"), strings.Index(link, ">")
	if start < 0 || end < start {
		t.Fatalf("no Link to the next page: %q", link)
	}
	rest := e.do("GET", link[start+1:end], e.shop, "")
	var next api.BamData[[]api.BamListedTicket]
	rest.want(t, http.StatusOK, &next)
	if len(next.Data) != 1 || next.Data[0].ID != places[1].ID {
		t.Errorf("the second page: %+v", next.Data)
	}
	whole, _ := e.bamList(e.alice, "event_id="+itoa(ev.ID)+"&timeslot_id="+itoa(ev.Timeslot[0].ID)+"&status=available")
	if len(whole) != 9-5 {
		t.Errorf("%d available tickets of the event, want 4", len(whole))
	}
	for _, c := range []struct{ query, words string }{
		{"", "owner_id"},
		{owner + "&status=sold", "not one of available"},
		{owner + "&sort_by=name", "sort_by"},
		{owner + "&direction=up", "direction"},
		{owner + "&with=[ticket_holder", "relation expression"},
		{owner + "&with=seat", "not a relation"},
		{owner + "&with_enrollment_id=maybe", "true or false"},
		{owner + "&page=2", "not one of this list's"},
		{owner + "&ids=5", "not a ticket id"},
		{"timeslot_id=" + itoa(ev.Timeslot[0].ID), "event_id"},
		{owner + "&cursor=bogus", "cursor"},
	} {
		e.do("GET", api.BamPrefix+"v1/ticket?"+c.query, e.shop, "").wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, c.words)
	}
	e.do("GET", api.BamPrefix+"v1/ticket?event_id=999", e.shop, "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	e.do("GET", api.BamPrefix+"v1/ticket?"+owner, e.gate, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", api.BamPrefix+"v1/ticket?"+owner, "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
}

// TestBamExpired: a reservation not issued within the sale's hold time expires; issuing
// or freeing it then is a 409 saying so, and its seats are reserved by the next owner.
func TestBamExpired(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	ev := e.bamEvent(addr)
	held := e.bamTickets("ticket/reserve", e.shop, bamReserveBody(ev, itoa(e.newCustomer()), "", 2, ""), http.StatusCreated)
	e.clock.Advance(ledger.DefaultHoldTime + time.Second)
	e.do("POST", api.BamPrefix+"ticket/issue", e.shop, bamIDs(held...)).wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "expired")
	e.do("POST", api.BamPrefix+"ticket/free", e.shop, bamIDs(held[0])).wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "expired")
	again := e.bamTickets("ticket/reserve", e.shop, bamReserveBody(ev, itoa(e.newCustomer()), "", 2, ""), http.StatusCreated)
	if again[0].ID != held[0].ID || again[1].ID != held[1].ID {
		t.Errorf("the expired seats %v were not reserved again: %+v", held, again)
	}
	e.bamTickets("ticket/issue", e.shop, bamIDs(again...), http.StatusCreated)
	e.transactionCount()
}

// TestBamTicketConfigs: a sale's ticket types are the event's ticket configs beside its
// base prices; a reservation of a config's tickets holds them as that type, at its price,
// and lists them under that config; a config of another timeslot is a 404.
func TestBamTicketConfigs(t *testing.T) {
	e := newEnv(t)
	addr := e.create(threeSeats)
	body := strings.Replace(e.saleBody(threePrices, 1000), `"endOfSale"`, `"ticketTypes":[{"name":"reduced","prices":[{"price":25}]}],"endOfSale"`, 1)
	e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, body).want(t, http.StatusCreated, nil)
	var out api.BamData[api.BamEvent]
	e.do("POST", api.BamPrefix+"v1/event", e.shop, `{"contract":"`+addr+`"}`).want(t, http.StatusOK, &out)
	ev := out.Data
	if len(ev.TicketConfig) != 2 || ev.TicketConfig[0].Name != "" || ev.TicketConfig[1].Name != "reduced" {
		t.Fatalf("ticket configs %+v", ev.TicketConfig)
	}
	ev.TicketConfig = ev.TicketConfig[1:]
	owner := e.newCustomer()
	held := e.bamTickets("ticket/reserve", e.shop, bamReserveBody(ev, itoa(owner), "", 2, ""), http.StatusCreated)
	seated := e.bamTickets("ticket/reserve", e.shop, bamReserveBody(ev, itoa(owner), "", 1, `[`+seatJSON(1, "B")+`]`), http.StatusCreated)
	for _, h := range append(held, seated...) {
		if h.Price != 25 || h.TicketConfigID != ev.TicketConfig[0].ID {
			t.Errorf("reserved as %+v, want the reduced config at 25", h)
		}
	}
	issued := e.bamTickets("ticket/issue", e.shop, bamIDs(held...), http.StatusCreated)
	listed, _ := e.bamList(e.shop, "owner_id="+itoa(owner)+"&ids="+itoa(issued[0].ID))
	if len(listed) != 1 || listed[0].TicketConfigID != ev.TicketConfig[0].ID || listed[0].Status != "issued" {
		t.Errorf("listed %+v", listed)
	}
}
