package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/delivery/webhook"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// blockInterval is short, so that the blocks the dispatcher follows close at once.
const blockInterval = 20 * time.Millisecond

// world is a ledger on a real database (a SQLite file, or PostgreSQL under
// TICKETBOOTH_TEST_DB=postgres) with two organizers, alice and bob.
type world struct {
	t          *testing.T
	db         string
	st         *sqlstore.Store
	alice, bob context.Context
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, db: pgtest.LedgerDB(t)}
	w.st = w.open()
	w.alice, w.bob = w.organizer("alice"), w.organizer("bob")
	return w
}

// open opens another store on the world's database, as another server (or a restarted
// one) would; it is closed when the test ends.
func (w *world) open() *sqlstore.Store {
	w.t.Helper()
	st, err := sqlstore.Open(context.Background(), w.db, sqlstore.Options{BlockInterval: blockInterval})
	if err != nil {
		w.t.Fatalf("Open: %v", err)
	}
	w.t.Cleanup(func() { st.Close() })
	return st
}

func (w *world) organizer(name string) context.Context {
	w.t.Helper()
	ctx := context.Background()
	key, _, err := w.st.Keys.CreateKey(ctx, ledger.RoleOrganizer, name)
	must(w.t, err, "CreateKey")
	actor, err := w.st.Keys.Authenticate(ctx, key)
	must(w.t, err, "Authenticate")
	return ledger.WithActor(ctx, actor)
}

// register registers an endpoint for the organizer's events.
func (w *world) register(ctx context.Context, url string, events ...string) ledger.NewWebhook {
	w.t.Helper()
	h, err := w.st.Webhooks.AddWebhook(ctx, ledger.WebhookRequest{URL: url, Events: events})
	must(w.t, err, "AddWebhook")
	return h
}

// onSale creates a contract of the organizer's with the seats and begins a sale of them at
// 2500 each.
func (w *world) onSale(ctx context.Context, seats ...string) string {
	w.t.Helper()
	c, _, err := w.st.Contracts.CreateContract(ctx, "Contract Hall", parseSeats(w.t, seats...))
	must(w.t, err, "CreateContract")
	info, err := w.st.Journal.Info(ctx)
	must(w.t, err, "Info")
	var prices []ledger.SeatPrice
	for _, s := range parseSeats(w.t, seats...) {
		prices = append(prices, ledger.SeatPrice{Seat: s, Price: 2500})
	}
	_, err = w.st.Contracts.BeginSale(ctx, c.Address, prices, ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Players",
		Time: 4102444800, EndOfSale: info.Height + 1_000_000})
	must(w.t, err, "BeginSale")
	return c.Address
}

// customer records a customer of the organizer's (new-person).
func (w *world) customer(ctx context.Context, first string) ledger.Customer {
	w.t.Helper()
	c, err := w.st.Customers.CreateCustomer(ctx, ledger.Customer{Salutation: "m", FirstName: first, LastName: "Tomson",
		Email: first + "@tomsons.com", Address: ledger.PostalAddress{Country: "CH", Address1: "Testweg 10", Zip: "3000", City: "Bern"}})
	must(w.t, err, "CreateCustomer")
	return c
}

// booking opens a booking for the customer on the contract and holds the seats.
func (w *world) booking(ctx context.Context, address string, customer int64, seats ...string) ledger.Booking {
	w.t.Helper()
	bk, err := w.st.Bookings.NewBooking(ctx, address, customer)
	must(w.t, err, "NewBooking")
	rc, err := w.st.Bookings.Hold(ctx, bk.ID, ledger.HoldSeats("", parseSeats(w.t, seats...)...))
	must(w.t, err, "Hold")
	return rc.Booking
}

// confirm confirms the booking with fresh secrets and returns its QR texts.
func (w *world) confirm(ctx context.Context, booking int64) []string {
	w.t.Helper()
	iss := &issuer.Issuer{Ledger: w.st.Selling, Bookings: w.st.Bookings}
	p, err := iss.ConfirmBooking(ctx, booking, issuer.ConfirmRequest{})
	must(w.t, err, "ConfirmBooking")
	return p.QR
}

// checkIn scans the QR text at the north gate.
func (w *world) checkIn(ctx context.Context, address, qr string) {
	w.t.Helper()
	g := &scanner.Gate{Ledger: w.st.Gate}
	res, err := g.CheckIn(ctx, address, scanner.Scan{QR: qr, Gate: "north"})
	must(w.t, err, "CheckIn")
	if len(res) == 0 || res[0].Status != ledger.StatusAdmitted {
		w.t.Fatalf("CheckIn = %+v, want admitted", res)
	}
}

// deliveries returns the endpoint's deliveries as its owner reads them.
func (w *world) deliveries(ctx context.Context, hook int64) []ledger.WebhookDelivery {
	w.t.Helper()
	ds, err := w.st.Webhooks.WebhookDeliveries(ctx, ledger.DeliveryQuery{Webhook: hook, Limit: ledger.MaxDeliveryList})
	must(w.t, err, "WebhookDeliveries")
	return ds
}

// dispatcher returns a dispatcher on the store with short waits, for tests.
func dispatcher(st *sqlstore.Store) *webhook.Dispatcher {
	return &webhook.Dispatcher{Queue: st.Webhooks, Poll: 10 * time.Millisecond, FirstWait: 20 * time.Millisecond,
		MaxWait: 100 * time.Millisecond, Timeout: 5 * time.Second}
}

// run runs the dispatcher until the returned stop is called (or the test ends); stop
// returns once Run has.
func run(t *testing.T, d *webhook.Dispatcher) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

// received is one request a receiver got.
type received struct {
	header  http.Header
	body    []byte
	payload ledger.WebhookPayload
}

// receiver is a real HTTP server on loopback that records what it is sent and answers
// each request with the next of its statuses (200 once they run out).
type receiver struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	got      []received
	statuses []int
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{t: t, statuses: statuses}
	r.srv = httptest.NewServer(r)
	t.Cleanup(r.srv.Close)
	return r
}

// startReceiverOn starts a receiver listening on addr (host:port).
func startReceiverOn(t *testing.T, addr string) *receiver {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	must(t, err, "Listen "+addr)
	r := &receiver{t: t}
	r.srv = httptest.NewUnstartedServer(r)
	r.srv.Listener.Close()
	r.srv.Listener = l
	r.srv.Start()
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) url() string { return r.srv.URL + "/hooks/ticketbooth" }

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	var p ledger.WebhookPayload
	json.Unmarshal(body, &p)
	r.mu.Lock()
	r.got = append(r.got, received{header: req.Header.Clone(), body: body, payload: p})
	status := http.StatusOK
	if len(r.statuses) > 0 {
		status, r.statuses = r.statuses[0], r.statuses[1:]
	}
	r.mu.Unlock()
	w.WriteHeader(status)
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// byDelivery counts the requests of each delivery id.
func (r *receiver) byDelivery() map[int64]int {
	n := map[int64]int{}
	for _, g := range r.requests() {
		n[g.payload.Delivery]++
	}
	return n
}

// verifySignature checks a request's signature as a receiver would, without the
// package's own code: HMAC-SHA256 of timestamp "." body under the secret.
func verifySignature(t *testing.T, secret string, g received) {
	t.Helper()
	ts := g.header.Get("X-Ticketbooth-Timestamp")
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil {
		t.Fatalf("timestamp header %q", ts)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(g.body)))
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if got := g.header.Get("X-Ticketbooth-Signature"); !hmac.Equal([]byte(got), []byte(want)) {
		t.Errorf("delivery %d (%s): signature %q, want %q", g.payload.Delivery, g.payload.Event, got, want)
	}
}

// waitFor waits until cond holds, failing the test after a generous deadline (what it
// waits for takes milliseconds; the deadline only ends a test that hangs).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func parseSeats(t *testing.T, texts ...string) []ledger.Seat {
	t.Helper()
	out := make([]ledger.Seat, len(texts))
	for i, text := range texts {
		s, err := ledger.ParseSeat(text)
		must(t, err, "ParseSeat "+text)
		out[i] = s
	}
	return out
}

func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
