package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestPollDeadlineThroughServe: serve --poll-deadline sets how long the command API
// waits before answering 202: at 1m, ats_ext_test_polling (10 s, more than the default
// deadline of 3 s) is answered at once, 200 without polling cookies.
func TestPollDeadlineThroughServe(t *testing.T) {
	db := newDB(t, time.Second)
	created := mustCLI(t, "keys", "create", "--db", db, "--role", "partner", "--name", "crm", "--product", "sth-customer",
		"--dsn", "main", "--json")
	var key struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal([]byte(created), &key); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"0s", "2m"} {
		r := runCLI(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--poll-deadline", bad)
		if r.code != exitUsage || !strings.Contains(r.stderr, "from 1ms to 1m") {
			t.Errorf("serve --poll-deadline %s: exit %d %q, want %d and the range", bad, r.code, r.stderr, exitUsage)
		}
	}
	line := serveUntil(t, db, "ticketbooth serving", "--poll-deadline", "1m")
	base := strings.Fields(line[strings.Index(line, " on http")+4:])[0]
	body := `{"header":{"ver":1},"command1":{"cmd":"ats_ext_test_polling","uid":"u","dsn":"main"}}`
	q := url.Values{"dsn": {"main"}, "apikey": {key.Key}}
	resp, err := http.Post(base+"/sth-customer/ticketing_services.aspx?"+q.Encode(), "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(resp.Cookies()) != 0 || !strings.Contains(string(answer), `"result":0`) {
		t.Errorf("ats_ext_test_polling under a deadline of 1m: %d, cookies %v: %s; want 200 at once", resp.StatusCode, resp.Cookies(), answer)
	}
}
