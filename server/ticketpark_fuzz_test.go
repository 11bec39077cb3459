package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzTicketparkBody sends arbitrary bodies to the Ticketpark routes that read one (the
// setup records, persons, bookings, tickets, a booking's PATCH, email/send), with keys
// of every role: the answer is never a 5xx, and every 4xx carries a JSON error.
func FuzzTicketparkBody(f *testing.F) {
	base, _, keys := fuzzServer(f)
	post := func(path, key, body string) string {
		var out struct{ Pid string }
		if err := json.Unmarshal(sendBody(f, "POST", base+"/ticketpark/"+path, key, body), &out); err != nil || out.Pid == "" {
			f.Fatalf("POST %s: %v", path, err)
		}
		return out.Pid
	}
	venue := post("venues/", keys[0], `{"name": "Hall", "city": "Bern"}`)
	post("sectors/", keys[0], `{"host": "`+venue+`", "name": "A", "price_category": 1, "capacity": 3}`)
	event := post("events/", keys[0], `{"name": "E", "currency": "CHF"}`)
	show := post("show/", keys[0], `{"event": "`+event+`", "venue": "`+venue+`", "start": "2099-06-01 12:00:00"}`)
	person := post("persons/", keys[1], tpPersonDoc)
	booking := post("bookings/", keys[1], `{"customer": "`+person+`"}`)
	fill := strings.NewReplacer("V", venue, "E", event, "S", show, "P", person, "B", booking)
	for _, seed := range []string{
		tpVenueDoc, tpSectorDoc, tpEventDoc, tpShowDoc, tpPriceDoc, tpPersonDoc, tpBookingDoc,
		`{"host": "V", "name": "B", "price_category": 2, "capacity": 2}`, `{"event": "E", "venue": "V", "start": "2099-01-01 10:00:00"}`,
		`[{"event": "E", "name": "N", "price_category": 1, "price": 12.5}]`, `{"customer": "P"}`,
		`[{"booking": "B", "show": "S", "price": "x", "sector": "y"}]`, `{"confirmation": true, "delivery": true}`,
		`{"booking": "B", "type": "confirmation"}`, `[]`, `[{}]`, `[1]`, `null`, `"`, "\x00\xff", `{"price": 1e999}`,
	} {
		f.Add(uint8(0), fill.Replace(seed))
	}
	routes := []string{"venues/", "sectors/", "events/", "show/", "prices/", "persons/", "bookings/", "tickets/",
		"bookings/" + booking, "email/send"}
	f.Fuzz(func(t *testing.T, pick uint8, body string) {
		key := keys[int(pick)/len(routes)%len(keys)]
		route := routes[int(pick)%len(routes)]
		method := "POST"
		if strings.HasPrefix(route, "bookings/") && route != "bookings/" {
			method = "PATCH"
		}
		sendBody(t, method, base+"/ticketpark/"+route, key, body)
	})
}
