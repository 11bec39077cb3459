package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// FuzzBamBody sends arbitrary bodies to the /bam/ routes (reserve, free, issue, event),
// and arbitrary query strings to the ticket list, with keys of every role: the answer is never a 5xx, and every 4xx carries a JSON error.
// The seeds hold the event's real numbers, so mutations reach the ledger.
func FuzzBamBody(f *testing.F) {
	base, address, keys := fuzzServer(f)
	var ev api.BamData[api.BamEvent]
	if err := json.Unmarshal(sendBody(f, "POST", base+api.BamPrefix+"v1/event", keys[1], `{"contract":"`+address+`"}`), &ev); err != nil || ev.Data.ID == 0 {
		f.Fatalf("numbering the event: %v", err)
	}
	var c ledger.Customer
	if err := json.Unmarshal(sendBody(f, "POST", base+api.CustomersPath, keys[1], `{"lastName":"Fuzz"}`), &c); err != nil || c.ID == 0 {
		f.Fatalf("creating the customer: %v", err)
	}
	e := ev.Data
	item := fmt.Sprintf(`{"ticket_config_id":%d,"quantity":1,"timeslot_id":%d,"sector_id":%d`, e.TicketConfig[0].ID, e.Timeslot[0].ID, e.Sector[0].ID)
	for _, seed := range []string{
		fmt.Sprintf(`{"event_id":%d,"owner_id":"%d","format":"PDF","ticket_reservation_items":[%s,"seats":[{"number":2,"letter":"A"}]}]}`, e.ID, c.ID, item),
		fmt.Sprintf(`{"event_id":%d,"owner_id":%d,"format":"secure","ticket_reservation_items":[%s}]}`, e.ID, c.ID, item),
		fmt.Sprintf(`{"event_id":%d,"owner_id":"0x1","ticket_reservation_items":[%s,"quantity":0}]}`, e.ID, item),
		fmt.Sprintf(`{"ids":[%d]}`, ledger.BamTicketID(e.Timeslot[0].ID, 1)), `{"ticket_ids":[1000001]}`, `{"ids":[-1,0]}`,
		`{"contract":"` + address + `"}`, `{"owner_id":null}`, `{"owner_id":1e400}`, `[]`, `null`, `"`, "\x00\xff",
	} {
		f.Add(uint8(0), seed)
		f.Add(uint8(1), seed)
	}
	for _, seed := range []string{fmt.Sprintf("owner_id=%d&with=[ticket_holder,ticket_config.event]&with_enrollment_id=true", c.ID),
		fmt.Sprintf("event_id=%d&sort_by=status&direction=desc&limit=1", e.ID), "ids=1000001,1000002&format=SECURE", "status=activated&owner_id=x"} {
		f.Add(uint8(4), seed)
	}
	routes := []string{"ticket/reserve", "ticket/free", "ticket/issue", "v1/event"}
	f.Fuzz(func(t *testing.T, pick uint8, body string) {
		key := keys[int(pick/5)%len(keys)]
		if pick%5 == 4 {
			if u, err := url.Parse(base + api.BamPrefix + "v1/ticket?" + body); err == nil {
				sendBody(t, "GET", u.String(), key, "")
			}
			return
		}
		sendBody(t, "POST", base+api.BamPrefix+routes[pick%5], key, body)
	})
}
