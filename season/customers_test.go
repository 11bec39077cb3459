package season_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/season"
)

// customerOf is command1.customer of an answer.
func (r reply) customerOf() map[string]any { c, _ := r.Command1["customer"].(map[string]any); return c }

// wantFailure fails the test unless r is HTTP 200 with the result and a detail with words.
func wantFailure(t *testing.T, what string, r reply, result int, words string) {
	t.Helper()
	if r.status != 200 || r.result() != result || !strings.Contains(r.detail(), words) {
		t.Errorf("%s: %d result %d %q, want 200 result %d mentioning %q", what, r.status, r.result(), r.detail(), result, words)
	}
}

// ada is customer_add's customer object of the tests.
func ada() map[string]any {
	return map[string]any{"name_first": "Ada", "name_last": "Lovelace", "email": "ada@example.org", "phone_day": "+41 44 123 45 67",
		"street_addr_1": "Bahnhofstrasse 1", "city": "Zürich", "zip": "8001", "country": "ch", "alt_id": "CRM-7", "alt_id_type": "crm"}
}

func TestCustomerAddAndQuery(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-customer", "main")
	r := e.command("sth-customer", key, map[string]any{"cmd": "customer_add", "customer": ada(), "pin": "4711"})
	id := number(t, r.Command1["acct_id"])
	if number(t, r.Command1["cust_name_id"]) != id {
		t.Errorf("cust_name_id = %v, want the account's id %d", r.Command1["cust_name_id"], id)
	}
	t.Run("OK", func(t *testing.T) {
		for _, q := range []map[string]any{
			{"acct_id": id, "pin": "4711"},
			{"acct_id": strings.TrimSpace(" " + itoa(id)), "call_reason": "S", "site_name": "vanilla"},
			{"email": "ADA@example.org", "pin": "4711"},
			{"alt_id": "CRM-7", "alt_id_type": "crm", "call_reason": "s"},
		} {
			q["cmd"] = "customer_query"
			c := e.command("sth-customer", key, q).customerOf()
			want := map[string]any{"name_first": "Ada", "name_last": "Lovelace", "email": "ada@example.org", "city": "Zürich",
				"zip": "8001", "country": "CH", "street_addr_1": "Bahnhofstrasse 1", "phone_day": "+41 44 123 45 67",
				"has_pin": "Y", "account_locked": "N"}
			for k, v := range want {
				if c[k] != v {
					t.Errorf("%v: %s = %v, want %v", q, k, c[k], v)
				}
			}
			if number(t, c["acct_id"]) != id || len(list(t, c["alt_ids"])) != 1 {
				t.Errorf("%v: acct_id %v, alt_ids %v", q, c["acct_id"], c["alt_ids"])
			}
			if _, ok := c["pin"]; ok {
				t.Errorf("the answer shows a pin: %v", c)
			}
		}
	})
	t.Run("ErrQuery", func(t *testing.T) {
		query := func(fields map[string]any) reply {
			fields["cmd"] = "customer_query"
			return e.call("sth-customer", key, fields)
		}
		wantFailure(t, "wrong pin", query(map[string]any{"acct_id": id, "pin": "0000"}), season.ResultRefused, "pin is not")
		wantFailure(t, "no pin", query(map[string]any{"acct_id": id}), season.ResultMissingField, "pin")
		wantFailure(t, "unknown account", query(map[string]any{"acct_id": 100479, "call_reason": "S"}), season.ResultNotFound, "no account 100479")
		wantFailure(t, "unknown e-mail", query(map[string]any{"email": "bob@example.org", "call_reason": "S"}), season.ResultNotFound, "e-mail")
		wantFailure(t, "unknown alt id", query(map[string]any{"alt_id": "CRM-8", "alt_id_type": "crm", "call_reason": "S"}), season.ResultNotFound, "external id")
		wantFailure(t, "alt id without type", query(map[string]any{"alt_id": "CRM-7", "call_reason": "S"}), season.ResultInvalidField, "type")
		wantFailure(t, "nothing named", query(map[string]any{"call_reason": "S"}), season.ResultMissingField, "acct_id, email, or alt_id")
		wantFailure(t, "acct_id a word", query(map[string]any{"acct_id": "ada"}), season.ResultInvalidField, "acct_id must be a number")
	})
	t.Run("ErrAdd", func(t *testing.T) {
		add := func(fields map[string]any) reply {
			fields["cmd"] = "customer_add"
			return e.call("sth-customer", key, fields)
		}
		twin := ada()
		twin["alt_id"] = "CRM-9"
		wantFailure(t, "e-mail taken", add(map[string]any{"customer": twin}), season.ResultEmailExists, "already account")
		other := ada()
		other["email"] = "ada.king@example.org"
		wantFailure(t, "alt id taken", add(map[string]any{"customer": other}), season.ResultRefused, "another account's")
		wantFailure(t, "no customer", add(map[string]any{"pin": "1234"}), season.ResultMissingField, "customer")
		wantFailure(t, "no name or e-mail", add(map[string]any{"customer": map[string]any{"city": "Bern"}}), season.ResultInvalidField, "last name")
		wantFailure(t, "short pin", add(map[string]any{"customer": map[string]any{"name_last": "B"}, "pin": "12"}), season.ResultInvalidField, "pin")
		wantFailure(t, "name a number", add(map[string]any{"customer": map[string]any{"name_last": 7}}), season.ResultInvalidField, "customer.name_last must be a string")
		wantFailure(t, "bad country", add(map[string]any{"customer": map[string]any{"name_last": "B", "country": "Switzerland"}}), season.ResultInvalidField, "ountry")
	})
}

func TestCustomerUpdate(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-customer", "main")
	id := number(t, e.command("sth-customer", key, map[string]any{"cmd": "customer_add", "customer": ada(), "pin": "4711"}).Command1["acct_id"])
	update := func(fields map[string]any) reply {
		fields["cmd"] = "customer_update"
		return e.call("sth-customer", key, fields)
	}
	t.Run("FieldsLeftOutCleared", func(t *testing.T) {
		r := update(map[string]any{"customer": map[string]any{"acct_id": id, "name_last": "King", "email": "ada@example.org"}, "pin": "4711"})
		c := r.customerOf()
		if r.result() != 0 || c["name_last"] != "King" || c["name_first"] != "" || c["city"] != "" || c["phone_day"] != "" || len(list(t, c["alt_ids"])) != 0 {
			t.Errorf("%d %v, want King with every other field cleared", r.result(), r.Command1)
		}
		q := e.command("sth-customer", key, map[string]any{"cmd": "customer_query", "acct_id": id, "pin": "4711"}).customerOf()
		if q["name_last"] != "King" || q["zip"] != "" {
			t.Errorf("queried after the update: %v", q)
		}
	})
	t.Run("NewPinAndLock", func(t *testing.T) {
		e.command("sth-customer", key, map[string]any{"cmd": "customer_update", "customer": map[string]any{"acct_id": id, "name_last": "King"}, "pin": "4711", "new_pin": "8080"})
		wantFailure(t, "old pin", e.call("sth-customer", key, map[string]any{"cmd": "customer_query", "acct_id": id, "pin": "4711"}), season.ResultRefused, "pin is not")
		e.command("sth-customer", key, map[string]any{"cmd": "customer_query", "acct_id": id, "pin": "8080"})
		e.command("sth-customer", key, map[string]any{"cmd": "customer_update", "customer": map[string]any{"acct_id": id, "name_last": "King"}, "pin": "8080", "lock_account": "Y"})
		wantFailure(t, "locked", e.call("sth-customer", key, map[string]any{"cmd": "customer_query", "acct_id": id, "pin": "8080"}), season.ResultRefused, "locked")
		c := e.command("sth-customer", key, map[string]any{"cmd": "customer_query", "acct_id": id, "call_reason": "S"}).customerOf()
		if c["account_locked"] != "Y" {
			t.Errorf("account_locked = %v, want Y", c["account_locked"])
		}
		e.command("sth-customer", key, map[string]any{"cmd": "customer_update", "customer": map[string]any{"acct_id": id, "name_last": "King"}, "call_reason": "S", "lock_account": false})
		e.command("sth-customer", key, map[string]any{"cmd": "customer_query", "acct_id": id, "pin": "8080"})
	})
	t.Run("Err", func(t *testing.T) {
		other := number(t, e.command("sth-customer", key, map[string]any{"cmd": "customer_add", "customer": map[string]any{"name_last": "Babbage", "email": "charles@example.org"}}).Command1["acct_id"])
		wantFailure(t, "e-mail of another", update(map[string]any{"customer": map[string]any{"acct_id": id, "email": "charles@example.org"}, "call_reason": "S"}), season.ResultEmailExists, itoa(other))
		wantFailure(t, "everything cleared", update(map[string]any{"customer": map[string]any{"acct_id": id}, "call_reason": "S"}), season.ResultInvalidField, "last name")
		wantFailure(t, "no acct_id", update(map[string]any{"customer": map[string]any{"name_last": "X"}, "call_reason": "S"}), season.ResultMissingField, "acct_id")
		wantFailure(t, "unknown account", update(map[string]any{"customer": map[string]any{"acct_id": 100479, "name_last": "X"}, "call_reason": "S"}), season.ResultNotFound, "100479")
		wantFailure(t, "wrong pin", update(map[string]any{"customer": map[string]any{"acct_id": id, "name_last": "X"}, "pin": "0000"}), season.ResultRefused, "pin")
		wantFailure(t, "bad new pin", update(map[string]any{"customer": map[string]any{"acct_id": id, "name_last": "X"}, "call_reason": "S", "new_pin": "1 2 3 4"}), season.ResultInvalidField, "new_pin")
		wantFailure(t, "lock a word", update(map[string]any{"customer": map[string]any{"acct_id": id, "name_last": "X"}, "call_reason": "S", "lock_account": "maybe"}), season.ResultInvalidField, "lock_account")
		q := e.command("sth-customer", key, map[string]any{"cmd": "customer_query", "acct_id": id, "call_reason": "S"}).customerOf()
		if q["name_last"] != "King" {
			t.Errorf("refused updates changed the account: %v", q)
		}
	})
}

func TestErasedCustomerIsNoAccount(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-customer", "main")
	id := number(t, e.command("sth-customer", key, map[string]any{"cmd": "customer_add", "customer": ada(), "pin": "4711"}).Command1["acct_id"])
	if _, err := e.store.Customers.EraseCustomer(admin(), id); err != nil {
		t.Fatal(err)
	}
	wantFailure(t, "by id", e.call("sth-customer", key, map[string]any{"cmd": "customer_query", "acct_id": id, "call_reason": "S"}), season.ResultNotFound, "no account")
	wantFailure(t, "by alt id", e.call("sth-customer", key, map[string]any{"cmd": "customer_query", "alt_id": "CRM-7", "alt_id_type": "crm", "call_reason": "S"}), season.ResultNotFound, "external id")
	r := e.command("sth-customer", key, map[string]any{"cmd": "customer_add", "customer": map[string]any{"name_last": "New", "alt_id": "CRM-7", "alt_id_type": "crm"}})
	if number(t, r.Command1["acct_id"]) == id {
		t.Errorf("the new account reuses the erased id")
	}
}

// itoa writes an id in decimal.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestCustomerAddRaceLeavesNoHalfAccount(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-customer", "main")
	const n = 8
	results := make(chan reply, n)
	for i := range n {
		go func() {
			results <- e.post("sth-customer", "main", key, envelope(map[string]any{"cmd": "customer_add", "uid": "u", "dsn": "main",
				"customer": map[string]any{"name_last": "Racer", "email": "racer" + strconv.Itoa(i) + "@example.org", "alt_id": "SAME", "alt_id_type": "crm"}}))
		}()
	}
	made := 0
	for range n {
		r := <-results
		switch r.result() {
		case 0:
			made++
		case season.ResultRefused:
		default:
			t.Errorf("%d result %d %q, want the account made or refused as another's external id", r.status, r.result(), r.detail())
		}
	}
	page, err := e.store.Customers.FindCustomers(admin(), ledger.CustomerQuery{Name: "Racer", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if made != 1 || page.Total != 1 {
		t.Errorf("%d accounts answered made, %d customers named Racer remain; want one of each", made, page.Total)
	}
}
