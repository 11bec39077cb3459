package season_test

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/season"
)

func TestSeatsSold(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-buy", "main")
	event, other, acct := e.event(2, 4), e.event(1, 2), e.account("ada@example.com")
	codes := e.paid(key, e.heldCart(key, event, acct, 3), "150.00")
	child := e.command("sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": event, "acct_id": acct,
		"ticket_type": []map[string]any{{"num_seats": 1, "ticket_type_code": "CHILD"}}})
	e.paid(key, number(t, child.Command1["order_num_out"]), "25.00")
	e.gate(event, codes[:1], ledger.StatusAdmitted)
	sold := func(fields map[string]any) reply {
		fields["cmd"], fields["acct_id"] = "seats_sold", acct
		return e.command("sth-customer", key, fields)
	}
	t.Run("OK", func(t *testing.T) {
		r := sold(map[string]any{"call_reason": "test"})
		blocks := list(t, r.Command1["seats_array"])
		if number(t, r.Command1["Count"]) != 4 || len(blocks) != 2 {
			t.Fatalf("Count %v, %d blocks: %v; want 4 seats in 2 blocks (the order of 3, the CHILD seat)", r.Command1["Count"], len(blocks), blocks)
		}
		base, kid := blocks[0], blocks[1]
		if base["price_code"] != "BASE" {
			base, kid = kid, base
		}
		want := map[string]any{"event_name": event, "price_code": "BASE", "full_price": "50.00", "purchase_price": "50.00", "num_seat": float64(3), "currency": "EUR"}
		for k, v := range want {
			if base[k] != v {
				t.Errorf("block %s = %v, want %v", k, base[k], v)
			}
		}
		if kid["price_code"] != "CHILD" || kid["full_price"] != "50.00" || kid["purchase_price"] != "25.00" || kid["num_seat"] != float64(1) {
			t.Errorf("CHILD block %v, want full 50.00, paid 25.00, one seat", kid)
		}
		atomic := list(t, base["atomic_seats"])
		first, last := number(t, base["seat_num"]), number(t, base["last_seat"])
		if len(atomic) != 3 || last != first+2 || number(t, atomic[0]["atomic_seat"]) != first {
			t.Errorf("block seats %d..%d, atomic %v", first, last, atomic)
		}
		statuses := map[any]int{}
		for _, a := range atomic {
			statuses[a["ticket_status"]]++
			if _, ok := a["barcode"]; ok {
				t.Errorf("an atomic seat has a barcode: the server keeps no ticket codes")
			}
		}
		if statuses["checked_in"] != 1 || statuses["sold"] != 2 {
			t.Errorf("statuses %v, want one checked_in, two sold", statuses)
		}
		if d, _ := base["purchase_date"].(string); len(d) != len("2026-12-01") {
			t.Errorf("purchase_date = %v", base["purchase_date"])
		}
	})
	t.Run("Paging", func(t *testing.T) {
		r := sold(map[string]any{"count": 2})
		next, _ := r.Command1["next_page_key"].(string)
		if number(t, r.Command1["Count"]) != 4 || next == "" || number(t, list(t, r.Command1["seats_array"])[0]["num_seat"]) != 2 {
			t.Fatalf("first page: %v", r.Command1)
		}
		seen := 2
		for next != "" {
			r = sold(map[string]any{"count": "2", "page_key": next})
			for _, b := range list(t, r.Command1["seats_array"]) {
				seen += int(number(t, b["num_seat"]))
			}
			next, _ = r.Command1["next_page_key"].(string)
		}
		if seen != 4 {
			t.Errorf("pages held %d seats, want 4", seen)
		}
	})
	t.Run("EventFilter", func(t *testing.T) {
		r := sold(map[string]any{"event_filter": []string{other}})
		if number(t, r.Command1["Count"]) != 0 || len(list(t, r.Command1["seats_array"])) != 0 {
			t.Errorf("of another event: %v, want none", r.Command1)
		}
		r = sold(map[string]any{"event_filter": event})
		if number(t, r.Command1["Count"]) != 4 {
			t.Errorf("of the event: %v, want 4", r.Command1["Count"])
		}
	})
	t.Run("Err", func(t *testing.T) {
		call := func(fields map[string]any) reply {
			fields["cmd"] = "seats_sold"
			return e.call("sth-customer", key, fields)
		}
		wantFailure(t, "no acct_id", call(map[string]any{}), season.ResultMissingField, "acct_id")
		wantFailure(t, "unknown account", call(map[string]any{"acct_id": 100479}), season.ResultNotFound, "no account 100479")
		wantFailure(t, "page key", call(map[string]any{"acct_id": acct, "page_key": "nope"}), season.ResultInvalidField, "page key")
		wantFailure(t, "event name", call(map[string]any{"acct_id": acct, "event_filter": []string{"Event01"}}), season.ResultInvalidField, "Event01")
		wantFailure(t, "count", call(map[string]any{"acct_id": acct, "count": 9999}), season.ResultInvalidField, "count")
	})
}
