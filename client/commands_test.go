package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/season"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// seen is a request the command API received: whether it carried the job's cookie, and
// its body.
type seen struct {
	job  bool
	body string
}

// commandServer is the real server with the command API, whose ats_ext_test_polling
// takes delay and whose deadline is 20 ms, and a partner key of sth-customer. It records
// the requests it gets.
func commandServer(t *testing.T, delay time.Duration) (string, string, func() []seen) {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), pgtest.LedgerDB(t), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := wiring.Season(wiring.Services(st), st, "", nil, season.Polling{Deadline: 20 * time.Millisecond, TestPollingDelay: delay})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(svc, nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var log []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, err := r.Cookie(season.CookieJob)
		mu.Lock()
		log = append(log, seen{job: err == nil, body: string(body)})
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	key, _, err := st.Keys.CreatePartnerKey(context.Background(), "crm", ledger.PartnerGrant{Product: "sth-customer", DSNs: []string{"main"}})
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, key, func() []seen { mu.Lock(); defer mu.Unlock(); return append([]seen(nil), log...) }
}

// commandEnvelope is the seed's envelope of cmd for the DSN main.
func commandEnvelope(cmd string) []byte {
	data, _ := json.Marshal(map[string]any{
		"header":   map[string]any{"ver": 1, "src_sys_type": 2, "src_sys_name": "testing", "archtics_version": "V999"},
		"command1": map[string]any{"cmd": cmd, "uid": "user99", "dsn": "main"},
	})
	return data
}

// command1 reads the answer's command1.
func command1(t *testing.T, data json.RawMessage) map[string]any {
	t.Helper()
	var env struct {
		Command1 map[string]any `json:"command1"`
	}
	if err := json.Unmarshal(data, &env); err != nil || env.Command1 == nil {
		t.Fatalf("the answer is not the envelope: %s", data)
	}
	return env.Command1
}

func TestCommandPolledToItsAnswer(t *testing.T) {
	url, key, requests := commandServer(t, 700*time.Millisecond)
	c := mustClient(t, url, key)
	body := commandEnvelope("ats_ext_test_polling")
	answer, err := c.Command(context.Background(), "sth-customer", "main", body)
	if err != nil {
		t.Fatal(err)
	}
	if got := command1(t, answer); got["result"] != float64(0) || got["cmd"] != "ats_ext_test_polling" {
		t.Fatalf("command1 = %v; want ats_ext_test_polling's result 0", got)
	}
	log := requests()
	if len(log) < 2 || log[0].job {
		t.Fatalf("the server got %d requests (the first with cookies: %v); want a call and its polls", len(log), len(log) > 0 && log[0].job)
	}
	for i, r := range log[1:] {
		if !r.job || r.body != string(body) {
			t.Errorf("poll %d: cookie CID sent %v, the same body %v; want both", i+1, r.job, r.body == string(body))
		}
	}
	if _, err := c.Command(context.Background(), "sth-customer", "main", commandEnvelope("ping")); err != nil {
		t.Errorf("the next command of the client: %v", err)
	}
	if last := requests()[len(requests())-1]; last.job {
		t.Errorf("the next command carried the finished job's cookie")
	}
}

func TestCommandEndsWithItsContext(t *testing.T) {
	url, key, _ := commandServer(t, time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	_, err := mustClient(t, url, key).Command(ctx, "sth-customer", "main", commandEnvelope("ats_ext_test_polling"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Command = %v; want the context's end", err)
	}
}

func TestCommandRefused(t *testing.T) {
	url, _, _ := commandServer(t, time.Millisecond)
	_, err := mustClient(t, url, "not-a-key").Command(context.Background(), "sth-customer", "main", commandEnvelope("ping"))
	if ledger.ErrorCode(err) != ledger.EUNAUTHORIZED || !strings.Contains(ledger.ErrorMessage(err), "key") {
		t.Fatalf("Command with a wrong key = %v; want EUNAUTHORIZED saying so", err)
	}
}
