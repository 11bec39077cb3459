package season_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/season"
)

func TestPingAnswersInTheEnvelope(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-customer", "main")
	r := e.post("sth-customer", "main", key, envelope(map[string]any{"cmd": "PING", "uid": "user99", "dsn": "MAIN", "ref": "1AB2C3"}))
	if r.status != http.StatusOK || r.result() != 0 {
		t.Fatalf("ping: %d %v", r.status, r.Command1)
	}
	if r.Command1["cmd"] != "ping" || r.Command1["ref"] != "1AB2C3" || r.Command1["sql_code"] != float64(0) {
		t.Errorf("command1 = %v, want cmd ping, the ref echoed and sql_code 0", r.Command1)
	}
	if r.Header["src_sys_name"] != "testing" || r.Header["archtics_version"] != "V999" || r.Header["ats_version"] != season.ATSVersion {
		t.Errorf("header = %v, want the request's echoed with ats_version", r.Header)
	}
}

func TestCallsRefusedBeforeTheCommand(t *testing.T) {
	e := newEnv(t)
	customer := e.partner("sth-customer", "main")
	other := e.partner("sth-buy", "other")
	boxOffice, _, err := e.store.Keys.CreateKey(context.Background(), ledger.RoleBoxOffice, "till")
	if err != nil {
		t.Fatal(err)
	}
	ping := envelope(map[string]any{"cmd": "ping", "uid": "u", "dsn": "main"})
	for _, c := range []struct {
		name, product, dsn, key, body string
		status, result                int
		words                         string
	}{
		{"unknown product", "sth-nothing", "main", customer, ping, 404, season.ResultNotFound, "no product"},
		{"no key", "sth-customer", "main", "", ping, 401, season.ResultKey, "apikey"},
		{"wrong key", "sth-customer", "main", "nope", ping, 401, season.ResultKey, "Unknown or revoked"},
		{"not a partner key", "sth-customer", "main", boxOffice, ping, 401, season.ResultKey, "partner key"},
		{"product above the key's", "sth-hold", "main", customer, ping, 401, season.ResultKey, "may not use sth-hold"},
		{"no DSN", "sth-customer", "", customer, ping, 404, season.ResultNotFound, "dsn=main"},
		{"DSN not the key's", "sth-customer", "other", customer, ping, 401, season.ResultKey, "DSN"},
		{"DSN not served", "sth-customer", "other", other, ping, 404, season.ResultNotFound, "serves the DSN"},
		{"not JSON", "sth-customer", "main", customer, "{", 200, season.ResultMalformed, "not valid JSON"},
		{"no command1", "sth-customer", "main", customer, `{"header":{}}`, 200, season.ResultMalformed, "command1"},
		{"no cmd", "sth-customer", "main", customer, envelope(map[string]any{"dsn": "main"}), 200, season.ResultMissingField, "cmd"},
		{"cmd a number", "sth-customer", "main", customer, envelope(map[string]any{"cmd": 7, "dsn": "main"}), 200, season.ResultInvalidField, "cmd"},
		{"body's DSN not the URL's", "sth-customer", "main", customer, envelope(map[string]any{"cmd": "ping", "dsn": "apigee"}), 200, season.ResultDSNMismatch, "apigee"},
		{"unknown command", "sth-customer", "main", customer, envelope(map[string]any{"cmd": "launch", "dsn": "main"}), 200, season.ResultUnknownCommand, "launch"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.post(c.product, c.dsn, c.key, c.body)
			detail, _ := r.Command1["error_detail"].(string)
			if r.status != c.status || r.result() != c.result || !strings.Contains(detail, c.words) {
				t.Errorf("%d result %d %q, want %d result %d mentioning %q", r.status, r.result(), detail, c.status, c.result, c.words)
			}
		})
	}
}

func TestLedgerUnavailableIs503(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-customer", "main")
	ping := envelope(map[string]any{"cmd": "ping", "uid": "u", "dsn": "main"})
	if r := e.post("sth-customer", "main", key, ping); r.status != http.StatusOK {
		t.Fatalf("ping before: %d %v", r.status, r.Command1)
	}
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	r := e.post("sth-customer", "main", key, envelope(map[string]any{"cmd": "event_search", "uid": "u", "dsn": "main"}))
	detail, _ := r.Command1["error_detail"].(string)
	if r.status != http.StatusServiceUnavailable || r.result() != season.ResultUnavailable || r.retryAfter == "" || !strings.Contains(detail, "unavailable") {
		t.Errorf("with the ledger closed: %d result %d Retry-After %q %q, want 503, 9012, Retry-After and words", r.status, r.result(), r.retryAfter, detail)
	}
}
