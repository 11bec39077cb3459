package season_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/season"
)

func TestSeatsHoldBestAvailableIntoACart(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-hold", "main")
	event, acct := e.event(2, 4), e.account("ada@example.com")
	r := e.command("sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": event, "acct_id": acct,
		"ticket_type": []map[string]any{{"num_seats": 2, "ticket_type_code": "BASE"}, {"num_seats": 1, "ticket_type_code": "child"}}})
	order := number(t, r.Command1["order_num_out"])
	var got []string
	for _, s := range list(t, r.Command1["seats"]) {
		got = append(got, seatText(s)+" "+s["price_code"].(string)+" "+s["price"].(string))
	}
	if want := "MAIN/A/1 BASE 50.00,MAIN/A/2 BASE 50.00,MAIN/A/3 CHILD 25.00"; strings.Join(got, ",") != want {
		t.Errorf("seats held = %v, want %s", got, want)
	}
	expiry, err := time.Parse(time.RFC3339, r.Command1["hold_expiry"].(string))
	if err != nil || !expiry.After(time.Now()) {
		t.Errorf("hold_expiry = %v, want a time to come (%v)", r.Command1["hold_expiry"], err)
	}
	more := e.command("sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": event, "order_num_in": order,
		"ticket_type": []map[string]any{{"num_seats": 1, "ticket_type_code": "BASE"}}})
	if n := number(t, more.Command1["order_num_out"]); n != order || len(list(t, more.Command1["seats"])) != 1 {
		t.Errorf("adding to the cart: order_num_out %d (want %d), seats %v", n, order, more.Command1["seats"])
	}
	e.command("sth-hold", key, map[string]any{"cmd": "seats_hold_specific", "event_name": event, "order_num_in": order,
		"section_name": "MAIN", "row_name": "B", "seat_num": 3, "num_seats": 2})
	cart := e.command("sth-hold", key, map[string]any{"cmd": "shopping_cart", "order_num": order})
	if cart.Command1["total"] != "275.00" || number(t, cart.Command1["num_seats"]) != 6 || number(t, cart.Command1["acct_id"]) != acct ||
		cart.Command1["event_name"] != event || cart.Command1["order_status"] != "open" || cart.Command1["hold_expiry"] == "" {
		t.Errorf("shopping_cart = %v", cart.Command1)
	}
	items := list(t, cart.Command1["cart_items"])
	if len(items) != 2 || items[0]["price_code"] != "BASE" || number(t, items[0]["num_seats"]) != 5 || items[0]["total"] != "250.00" ||
		items[1]["price_code"] != "CHILD" || number(t, items[1]["order_line_item"]) != 2 || len(list(t, items[1]["seats"])) != 1 {
		t.Errorf("cart_items = %v", items)
	}
}

func TestSeatsHoldRefused(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-hold", "main")
	customerKey := e.partner("sth-customer", "main")
	event, acct := e.event(1, 4), e.account("ada@example.com")
	hold := func(n int, code string) map[string]any {
		return map[string]any{"cmd": "seats_hold", "event_name": event, "acct_id": acct,
			"ticket_type": []map[string]any{{"num_seats": 2, "ticket_type_code": "BASE"}, {"num_seats": n, "ticket_type_code": code}}}
	}
	for _, c := range []struct {
		name, product, key string
		fields             map[string]any
		status, result     int
		words              string
	}{
		{"more seats than are free", "sth-hold", key, hold(3, "BASE"), 200, season.ResultNoBlocks, "No blocks found"},
		{"an unknown price code", "sth-hold", key, hold(1, "SENIOR"), 200, season.ResultNoClasses, "BASE, CHILD"},
		{"an unknown event", "sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": "nothing", "acct_id": acct,
			"ticket_type": []map[string]any{{"num_seats": 1}}}, 200, season.ResultNotFound, "no event"},
		{"an unknown account", "sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": event, "acct_id": 999,
			"ticket_type": []map[string]any{{"num_seats": 1}}}, 200, season.ResultNotFound, "no account 999"},
		{"no account nor cart", "sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": event,
			"ticket_type": []map[string]any{{"num_seats": 1}}}, 200, season.ResultMissingField, "acct_id"},
		{"num_seats not a number", "sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": event, "acct_id": acct,
			"ticket_type": []map[string]any{{"num_seats": "two"}}}, 200, season.ResultInvalidField, "num_seats must be a number"},
		{"an unknown order", "sth-hold", key, map[string]any{"cmd": "shopping_cart", "order_num": 4242}, 200, season.ResultNotFound, "no order 4242"},
		{"a seat the hall lacks", "sth-hold", key, map[string]any{"cmd": "seats_hold_specific", "event_name": event, "acct_id": acct,
			"row_name": "A", "seat_num": 9}, 200, season.ResultRefused, "9A"},
		{"a customer key under sth-hold", "sth-hold", customerKey, hold(1, "BASE"), 401, season.ResultKey, "may not use sth-hold"},
		{"seats_hold under sth-customer", "sth-customer", customerKey, hold(1, "BASE"), 200, season.ResultNotInProduct, "not part of sth-customer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.call(c.product, c.key, c.fields)
			detail, _ := r.Command1["error_detail"].(string)
			if r.status != c.status || r.result() != c.result || !strings.Contains(detail, c.words) {
				t.Errorf("%d result %d %q, want %d result %d mentioning %q", r.status, r.result(), detail, c.status, c.result, c.words)
			}
		})
	}
	// the refused holds held nothing: all four seats are still free
	r := e.command("sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": event, "acct_id": acct,
		"ticket_type": []map[string]any{{"num_seats": 4}}})
	if len(list(t, r.Command1["seats"])) != 4 {
		t.Errorf("after the refusals %v were held, want all four seats", r.Command1["seats"])
	}
	taken := e.call("sth-hold", key, map[string]any{"cmd": "seats_hold_specific", "event_name": event, "acct_id": acct, "row_name": "A", "seat_num": 2})
	if detail, _ := taken.Command1["error_detail"].(string); taken.result() != season.ResultRefused || !strings.Contains(detail, "2A") {
		t.Errorf("holding a held seat: result %d %q, want %d naming 2A", taken.result(), detail, season.ResultRefused)
	}
	soldOut := e.call("sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": event, "acct_id": acct,
		"ticket_type": []map[string]any{{"num_seats": 1}}})
	if detail, _ := soldOut.Command1["error_detail"].(string); soldOut.result() != season.ResultNoBlocks || !strings.Contains(detail, "No blocks found") {
		t.Errorf("holding on a sold-out event: result %d %q, want %d", soldOut.result(), detail, season.ResultNoBlocks)
	}
}
