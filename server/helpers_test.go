package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

const testInterval = 10 * time.Second

// fakeClock is the clock the test moves by hand.
type fakeClock = testclock.Clock

// logBuffer collects log output from the server's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is the real server on loopback over a real ledger database (a SQLite file, or
// PostgreSQL under TICKETBOOTH_TEST_DB=postgres), with API keys of every
// role and a clock the test moves.
type env struct {
	t        *testing.T
	srv      *httptest.Server
	store    *sqlstore.Store
	clock    *fakeClock
	logs     *logBuffer
	path     string // the ledger database: a SQLite file or a postgres:// URL
	alice    string // organizer key
	bob      string // another organizer's key
	shop     string // box-office key
	gate     string // scanner key
	password string // a wallet password clients send, which must never be logged
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, clock: testclock.New(testclock.Start, testInterval), logs: &logBuffer{},
		path: pgtest.LedgerDB(t), password: "pw-Sup3rS3cret-never-logged"}
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	store, err := sqlstore.Open(context.Background(), e.path, sqlstore.Options{BlockInterval: testInterval, Now: e.clock.Now, Logger: logger})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	e.store = store
	t.Cleanup(func() { store.Close() })
	e.alice = e.key(ledger.RoleOrganizer, "alice")
	e.bob = e.key(ledger.RoleOrganizer, "bob")
	e.shop = e.key(ledger.RoleBoxOffice, "shop")
	e.gate = e.key(ledger.RoleScanner, "gate")
	e.srv = serveWith(t, newServer(t, store, logger), server.DefaultTimeouts)
	if !strings.HasPrefix(e.srv.URL, "http://127.0.0.1:") {
		t.Fatalf("server is not on loopback: %s", e.srv.URL)
	}
	return e
}

// newServer returns the API handler serving st as `ticketbooth serve` wires it.
func newServer(tb testing.TB, st *sqlstore.Store, log *slog.Logger) *server.Server {
	tb.Helper()
	h, err := server.New(wiring.Services(st), log)
	if err != nil {
		tb.Fatalf("server.New: %v", err)
	}
	return h
}

// serveWith serves h on loopback as `ticketbooth serve` does, with the timeouts t.
func serveWith(t *testing.T, h http.Handler, to server.Timeouts) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config = server.HTTPServer(h, to)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func (e *env) key(role ledger.Role, name string) string {
	e.t.Helper()
	key, _, err := e.store.Keys.CreateKey(context.Background(), role, name)
	if err != nil {
		e.t.Fatalf("CreateKey: %v", err)
	}
	return key
}

// response is what the server answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a raw request: body is sent as is ("" for none), key as a bearer key ("" for
// none).
func (e *env) do(method, path, key, body string) response {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) response {
	e.t.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("reading the answer to %s %s: %v", req.Method, req.URL.Path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// wallet returns the members a Ticketbooth client adds to every body, password included.
func (e *env) wallet() string {
	return `"walletName":"Ticketbooth","accountName":"account 0","password":"` + e.password +
		`","gasPrice":100,"sender":"CUtNvY1Jxpn4V4RD1tgphsUKpQdo4q5i54","outpoints":[{"transactionId":"ab","index":0}]`
}

// want checks the status and decodes a JSON answer into out (when not nil).
func (r response) want(t *testing.T, status int, out any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("answer %s is not the expected JSON: %v", r.body, err)
		}
	}
}

// wantError checks an error answer: the status, a JSON body {error, code} with the code
// and a sentence, and the WWW-Authenticate challenge on 401.
func (r response) wantError(t *testing.T, status int, code string) {
	t.Helper()
	var e api.ErrorResponse
	r.want(t, status, &e)
	if e.Code != code {
		t.Errorf("error code %q, want %q (%s)", e.Code, code, e.Error)
	}
	checkSentence(t, e.Error)
	if got := r.header.Get("WWW-Authenticate"); (status == http.StatusUnauthorized) != strings.HasPrefix(got, "Bearer") {
		t.Errorf("status %d with WWW-Authenticate %q", status, got)
	}
}

// checkSentence fails unless msg reads as words for a person.
func checkSentence(t *testing.T, msg string) {
	t.Helper()
	r := []rune(msg)
	if len(r) == 0 || !unicode.IsLetter(r[0]) || len(strings.Fields(msg)) < 3 {
		t.Errorf("error message %q is not a sentence", msg)
	}
	for _, debris := range []string{"%!", "<nil>", "sql:", "json:", "goroutine", "Go struct", "png:", "jpeg:", "gif:", "http:", "invalid format"} {
		if strings.Contains(msg, debris) {
			t.Errorf("error message %q carries %q", msg, debris)
		}
	}
}

// create makes a contract of alice's over the API and returns its address.
func (e *env) create(seats string) string {
	e.t.Helper()
	var out api.CreateContractResponse
	e.do("POST", api.Base, e.alice, `{"venue":"Hall","seats":`+seats+`,`+e.wallet()+`}`).want(e.t, http.StatusCreated, &out)
	return out.Address
}

// height returns the ledger's height as the API tells it.
func (e *env) height() int64 {
	e.t.Helper()
	var info ledger.Info
	e.do("GET", api.LedgerPath, "", "").want(e.t, http.StatusOK, &info)
	return info.Height
}

// saleBody returns a BeginSale body with the prices (JSON) for a show tomorrow whose sale
// ends blocks from now.
func (e *env) saleBody(prices string, blocks int64) string {
	e.t.Helper()
	return `{"seatPrices":` + prices + `,"details":{"name":"Hamlet","organiser":"Globe","time":` +
		itoa(e.clock.Now().Add(24*time.Hour).Unix()) + `,"endOfSale":` + itoa(e.height()+blocks) + `},` + e.wallet() + `}`
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// members returns the sorted member names of a JSON object.
func members(t *testing.T, data []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s is not a JSON object: %v", data, err)
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
