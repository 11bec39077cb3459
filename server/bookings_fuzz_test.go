package server_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// FuzzBookingBody sends arbitrary bodies to the booking routes (open, hold, confirm,
// confirm sealed) and arbitrary seats in the path of a free, with keys of every role:
// the answer is never a 5xx, and every 4xx carries a JSON error.
func FuzzBookingBody(f *testing.F) {
	for _, seed := range []string{
		`{"seats":[{"number":1,"letter":"A"}]}`, `{"seats":[]}`, `{"seats":[{"number":-1}]}`, `{"seats":null}`,
		`{"customer":1,"contract":"x"}`, `{"customer":"1"}`, `{"amount":-5}`, `{"ticketsPerQR":99}`,
		`{"sender":"customer:1","tickets":[{"seat":{"number":1,"letter":"A"},"secretCiphertext":"zz"}]}`,
		`1A`, `Stalls/12A`, `%2F`, `[]`, `null`, `"`, "\x00\xff",
	} {
		f.Add(uint8(0), seed)
	}
	base, address, keys := fuzzServer(f)
	var c ledger.Customer
	if err := json.Unmarshal(sendBody(f, "POST", base+api.CustomersPath, keys[1], `{"lastName":"Fuzz"}`), &c); err != nil || c.ID == 0 {
		f.Fatalf("creating the customer: %v", err)
	}
	var b ledger.Booking
	body := `{"customer":` + strconv.FormatInt(c.ID, 10) + `,"contract":"` + address + `"}`
	if err := json.Unmarshal(sendBody(f, "POST", base+api.BookingsPath, keys[1], body), &b); err != nil || b.ID == 0 {
		f.Fatalf("opening the booking: %v", err)
	}
	f.Fuzz(func(t *testing.T, pick uint8, body string) {
		key := keys[int(pick/5)%len(keys)]
		switch pick % 5 {
		case 0:
			sendBody(t, "POST", base+api.BookingsPath, key, body)
		case 1:
			sendBody(t, "POST", base+api.BookingPath(b.ID, "tickets"), key, body)
		case 2:
			sendBody(t, "POST", base+api.BookingPath(b.ID, "confirm"), key, body)
		case 3:
			sendBody(t, "POST", base+api.BookingPath(b.ID, "confirmSealed"), key, body)
		default:
			sendBody(t, "DELETE", base+api.BookingPath(b.ID, "tickets/"+url.PathEscape(body)), key, "")
		}
	})
}
