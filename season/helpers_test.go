package season_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/season"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// env is a real server on loopback over a real ledger (SQLite, or PostgreSQL with
// TICKETBOOTH_TEST_DB=postgres), serving the command API for the DSN "main".
type env struct {
	t     *testing.T
	store *sqlstore.Store
	url   string
	db    string // the database as sqlstore.Open takes it
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return envOn(t, pgtest.LedgerDB(t), sqlstore.Options{})
}

// envOn is a server of its own over the ledger at db (a server of several sharing one
// database), opened with opts.
func envOn(t *testing.T, db string, opts sqlstore.Options) *env {
	t.Helper()
	return envPolling(t, db, opts, season.Polling{})
}

// envPolling is envOn with the command API's polling tuned.
func envPolling(t *testing.T, db string, opts sqlstore.Options, polling season.Polling) *env {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), db, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := wiring.Season(wiring.Services(st), st, "", nil, polling)
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(svc, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, store: st, url: srv.URL, db: db}
}

// partner makes a partner key with the product and DSNs.
func (e *env) partner(product string, dsns ...string) string {
	e.t.Helper()
	key, _, err := e.store.Keys.CreatePartnerKey(context.Background(), "partner "+product, ledger.PartnerGrant{Product: product, DSNs: dsns})
	if err != nil {
		e.t.Fatal(err)
	}
	return key
}

// reply is an answer of the command API.
type reply struct {
	status     int
	retryAfter string
	cookies    []*http.Cookie
	Command1   map[string]any `json:"command1"`
	Header     map[string]any `json:"header"`
}

// result is command1.result as an int.
func (r reply) result() int { n, _ := r.Command1["result"].(float64); return int(n) }

// post sends body to the product's endpoint with the query's dsn and apikey.
func (e *env) post(product, dsn, key, body string) reply {
	e.t.Helper()
	return e.send(product, dsn, key, body)
}

// send is post with cookies.
func (e *env) send(product, dsn, key, body string, cookies ...*http.Cookie) reply {
	e.t.Helper()
	q := url.Values{}
	if dsn != "" {
		q.Set("dsn", dsn)
	}
	if key != "" {
		q.Set("apikey", key)
	}
	req, err := http.NewRequest(http.MethodPost, e.url+"/"+product+"/ticketing_services.aspx?"+q.Encode(), bytes.NewBufferString(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), cookies: resp.Cookies()}
	if err := json.Unmarshal(data, &r); err != nil {
		e.t.Fatalf("answer %d is not JSON: %v: %s", resp.StatusCode, err, data)
	}
	return r
}

// envelope is a request envelope of the seed's shape with command1's members.
func envelope(cmd map[string]any) string {
	data, _ := json.Marshal(map[string]any{
		"header":   map[string]any{"ver": 1, "src_sys_type": 2, "src_sys_name": "testing", "archtics_version": "V999"},
		"command1": cmd,
	})
	return string(data)
}
