package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestKeysCreatePartner(t *testing.T) {
	db := newDB(t, time.Second)
	out := mustCLI(t, "keys", "create", "--db", db, "--role", "partner", "--name", "crm", "--product", "sth-hold",
		"--dsn", "main", "--dsn", "other", "--per-minute", "30")
	if !strings.Contains(out, "it may use sth-hold on main, other; 30 calls a minute, 5000 a day") {
		t.Errorf("keys create = %q: want the grant in words", out)
	}
	list := mustCLI(t, "keys", "list", "--db", db)
	if !strings.Contains(list, "partner     crm  sth-hold on main, other; 30 calls a minute, 5000 a day") {
		t.Errorf("keys list = %q: want the partner's grant", list)
	}
	for _, c := range []struct {
		args  []string
		words string
	}{
		{[]string{"--role", "organizer", "--product", "sth-hold"}, "--product describes a partner key's grant"},
		{[]string{"--role", "scanner", "--per-day", "9"}, "use it with --role partner, not --role scanner"},
		{[]string{"--role", "partner", "--dsn", "main"}, "a partner key needs --product"},
		{[]string{"--role", "partner", "--product", "sth-hold"}, "and --dsn"},
		{[]string{"--role", "partner", "--product", "sth-all", "--dsn", "main"}, `unknown product "sth-all"`},
		{[]string{"--role", "partner", "--product", "sth-buy", "--dsn", "main", "--per-minute", "-1"}, "not negative"},
		{[]string{"--role", "partner", "--product", "sth-buy", "--dsn", "a b"}, "without commas or spaces"},
	} {
		r := runCLI(t, "", append([]string{"keys", "create", "--db", db, "--name", "x"}, c.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.words) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d %q, want %d and one line saying %q", c.args, r.code, r.stderr, exitUsage, c.words)
		}
	}
}

// TestPartnerKeyThroughServe: serve --dsn names the ledger the command API serves, and
// keys show counts the key's calls through it, allowed and refused.
func TestPartnerKeyThroughServe(t *testing.T) {
	db := newDB(t, time.Second)
	created := mustCLI(t, "keys", "create", "--db", db, "--role", "partner", "--name", "crm", "--product", "sth-customer",
		"--dsn", "box", "--dsn", "main", "--per-minute", "2", "--json")
	var key struct {
		ID  int64  `json:"id"`
		Key string `json:"key"`
	}
	if err := json.Unmarshal([]byte(created), &key); err != nil {
		t.Fatal(err)
	}
	line := serveUntil(t, db, "ticketbooth serving", "--dsn", "box")
	base := strings.Fields(line[strings.Index(line, " on http")+4:])[0]
	if s := time.Now().UTC().Second(); s >= 55 {
		time.Sleep(time.Duration(61-s) * time.Second) // the calls and keys show within one minute
	}
	for i, want := range []int{http.StatusNotFound, http.StatusOK, http.StatusOK, http.StatusTooManyRequests} {
		dsn := "box"
		if i == 0 {
			dsn = "main" // not this server's: refused before it is counted
		}
		if got := ping(t, base, dsn, key.Key); got != want {
			t.Errorf("call %d on %s: %d, want %d", i+1, dsn, got, want)
		}
	}
	show := mustCLI(t, "keys", "show", "--db", db, "--id", strconv.FormatInt(key.ID, 10))
	for _, want := range []string{"sth-customer on box, main; 2 calls a minute, 5000 a day",
		"this minute: 2 of 2 calls, 1 refused", "today (UTC): 2 of 5000 calls, 1 refused"} {
		if !strings.Contains(show, want) {
			t.Errorf("keys show = %q, want %q", show, want)
		}
	}
	if r := runCLI(t, "", "keys", "show", "--db", db, "--id", "999"); r.code != exitFailed {
		t.Errorf("keys show of no key: exit %d %q, want %d", r.code, r.stderr, exitFailed)
	}
	if r := runCLI(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--dsn", "a,b"); r.code != exitUsage || !strings.Contains(r.stderr, "--dsn: a DSN is a name") {
		t.Errorf("serve --dsn a,b: exit %d %q, want %d and the reason", r.code, r.stderr, exitUsage)
	}
}

// ping calls the command API's ping on the server with the DSN and key and returns the
// status.
func ping(t *testing.T, base, dsn, key string) int {
	t.Helper()
	body := `{"header":{"ver":1},"command1":{"cmd":"ping","uid":"u","dsn":"` + dsn + `"}}`
	q := url.Values{"dsn": {dsn}, "apikey": {key}}
	resp, err := http.Post(base+"/sth-customer/ticketing_services.aspx?"+q.Encode(), "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
