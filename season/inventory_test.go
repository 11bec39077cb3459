package season_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/season"
)

// typedTheatre is theatre with a REDUCED type for the balcony alone and CHILD everywhere.
func typedTheatre() show {
	s := theatre("Tosca", time.Now().Add(72*time.Hour))
	s.types = []ledger.TicketType{
		{Name: "REDUCED", Prices: []ledger.TypePrice{ledger.PriceForSection("Balcony", 3000)}},
		{Name: "CHILD", Prices: []ledger.TypePrice{ledger.PriceForAll(2500)}},
	}
	return s
}

func TestGetAvailSeats(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-hold", "main")
	event, acct := e.open(typedTheatre()), e.account("ada@example.com")
	e.command("sth-hold", key, map[string]any{"cmd": "seats_hold_specific", "event_name": event, "acct_id": acct,
		"section_name": "MAIN", "row_name": "A", "seat_num": 1})
	r := e.command("sth-inventory", key, map[string]any{"cmd": "get_avail_seats", "event_name": event})
	summary := list(t, r.Command1["section_summary"])
	got := map[any]any{}
	for _, s := range summary {
		got[s["section_name"]] = s["num_seats"]
	}
	if len(summary) != 3 || got["MAIN"] != float64(1) || got["Balcony"] != float64(1) || got["Pit"] != float64(2) || number(t, r.Command1["num_seats"]) != 4 {
		t.Errorf("section_summary %v, want MAIN 1 (1A held), Balcony 1, Pit 2", summary)
	}
	if summary[0]["min_price"] != "50.00" || summary[0]["max_price"] != "50.00" {
		t.Errorf("prices %v, want 50.00", summary[0])
	}
	var texts []string
	for _, b := range list(t, r.Command1["avail_seats"]) {
		texts = append(texts, seatText(b)+"+"+itoa(number(t, b["num_seats"])))
	}
	if want := "MAIN/A/2+1 Balcony/B/1+1 Pit/GA/1+2"; strings.Join(texts, " ") != want {
		t.Errorf("avail_seats %v, want %s", texts, want)
	}
	r = e.command("sth-inventory", key, map[string]any{"cmd": "get_avail_seats", "event_name": event, "summary_flag": "Y"})
	if _, ok := r.Command1["avail_seats"]; ok || len(list(t, r.Command1["section_summary"])) != 3 {
		t.Errorf("summary_flag Y: %v, want the summary alone", r.Command1)
	}
	call := func(fields map[string]any) reply {
		fields["cmd"] = "get_avail_seats"
		return e.call("sth-inventory", key, fields)
	}
	wantFailure(t, "no event_name", call(map[string]any{}), season.ResultMissingField, "event_name")
	wantFailure(t, "unknown event", call(map[string]any{"event_name": "Event01"}), season.ResultNotFound, "Event01")
	wantFailure(t, "summary_flag a number", call(map[string]any{"event_name": event, "summary_flag": 3}), season.ResultInvalidField, "summary_flag")
}

func TestEventPriceInfo(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-inventory", "main")
	event := e.open(typedTheatre())
	r := e.command("sth-inventory", key, map[string]any{"cmd": "event_price_info", "event_name": event})
	if r.Command1["currency"] != "CHF" {
		t.Errorf("currency = %v", r.Command1["currency"])
	}
	codes := map[any]string{}
	for _, c := range list(t, r.Command1["price_codes"]) {
		var prices []string
		for _, p := range list(t, c["prices"]) {
			prices = append(prices, p["section_name"].(string)+" "+p["price"].(string)+" x"+itoa(number(t, p["num_seats"])))
		}
		codes[c["price_code"]] = strings.Join(prices, " ")
	}
	want := map[any]string{
		"BASE":    "MAIN 50.00 x2 Balcony 50.00 x1 Pit 50.00 x2",
		"REDUCED": "Balcony 30.00 x1",
		"CHILD":   "MAIN 25.00 x2 Balcony 25.00 x1 Pit 25.00 x2",
	}
	for k, v := range want {
		if codes[k] != v {
			t.Errorf("%s: %q, want %q", k, codes[k], v)
		}
	}
	wantFailure(t, "unknown event", e.call("sth-inventory", key, map[string]any{"cmd": "event_price_info", "event_name": "Event01"}), season.ResultNotFound, "Event01")
}

func TestInventoryCommandsNeedTheInventoryProduct(t *testing.T) {
	e := newEnv(t)
	customer := e.partner("sth-customer", "main")
	event := e.open(typedTheatre())
	for _, cmd := range []string{"get_avail_seats", "event_price_info"} {
		body := map[string]any{"cmd": cmd, "event_name": event}
		wantFailure(t, cmd+" under sth-customer", e.call("sth-customer", customer, body), season.ResultNotInProduct, "not part of sth-customer")
		r := e.call("sth-inventory", customer, body)
		if r.status != 401 || r.result() != season.ResultKey || r.detail() == "" {
			t.Errorf("%s under sth-inventory with a customer key: %d %d %q, want 401 in words", cmd, r.status, r.result(), r.detail())
		}
	}
}
