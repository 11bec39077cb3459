package season_test

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/season"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// soldTickets holds and pays n seats of the event for the account through the API, in
// orders of at most 500 (a cart's limit), and returns the orders.
func (e *env) soldTickets(key, event string, acct int64, n int) []int64 {
	e.t.Helper()
	var orders []int64
	for left := n; left > 0; left -= ledger.MaxTicketsInBooking {
		size := min(left, ledger.MaxTicketsInBooking)
		order := e.heldCart(key, event, acct, size)
		e.paid(key, order, strconv.Itoa(50*size)+".00")
		orders = append(orders, order)
	}
	return orders
}

func TestTicketPrintSpansOrders(t *testing.T) {
	e := newEnv(t)
	buy := e.partner("sth-buy", "main")
	event, acct := e.event(2, 4), e.account("ada@example.com")
	var orders []int64
	for _, n := range []int{3, 2, 1} {
		order := e.heldCart(buy, event, acct, n)
		e.paid(buy, order, strconv.Itoa(50*n)+".00")
		orders = append(orders, order)
	}
	other := e.heldCart(buy, event, e.account("bob@example.com"), 1)
	e.paid(buy, other, "50.00")
	all := e.command("sth-buy", buy, map[string]any{"cmd": "ticket_print", "acct_id": acct, "event_name": event, "paper_size": "A6"})
	var got []string
	for _, o := range list(t, all.Command1["orders"]) {
		got = append(got, strconv.FormatInt(number(t, o["order_num"]), 10)+":"+strconv.FormatInt(number(t, o["num_tickets"]), 10))
	}
	want := []string{strconv.FormatInt(orders[0], 10) + ":3", strconv.FormatInt(orders[1], 10) + ":2", strconv.FormatInt(orders[2], 10) + ":1"}
	if strings.Join(got, " ") != strings.Join(want, " ") || number(t, all.Command1["num_tickets"]) != 6 {
		t.Errorf("the account's print: orders %v, want %v (not bob's order %d)", got, want, other)
	}
	if codes := scanPDF(t, all.Command1["pdf"].(string)); len(codes) != 6 {
		t.Errorf("the PDF's codes: %d, want 6", len(codes))
	}
	two := e.command("sth-buy", buy, map[string]any{"cmd": "ticket_print", "order_num": []int64{orders[2], other}})
	if number(t, two.Command1["num_tickets"]) != 2 || len(list(t, two.Command1["orders"])) != 2 {
		t.Errorf("printing two orders of two accounts: %v", two.Command1["orders"])
	}
}

func TestTicketPrintBounded(t *testing.T) {
	e := newEnv(t)
	season.LowerMaxPrintTickets(t, 5)
	buy := e.partner("sth-buy", "main")
	event, acct := e.event(2, 4), e.account("ada@example.com")
	orders := []int64{e.heldCart(buy, event, acct, 3), e.heldCart(buy, event, acct, 3)}
	for _, o := range orders {
		e.paid(buy, o, "150.00")
	}
	r := e.post("sth-buy", "main", buy, envelope(map[string]any{"cmd": "ticket_print", "dsn": "main", "order_num": orders}))
	detail, _ := r.Command1["error_detail"].(string)
	if r.result() != season.ResultInvalidField || !strings.Contains(detail, "at most 5 tickets") || !strings.Contains(detail, "hold 6") {
		t.Fatalf("printing 6 tickets with a limit of 5: result %d %q, want 9004 saying the limit", r.result(), detail)
	}
	part := e.command("sth-buy", buy, map[string]any{"cmd": "ticket_print", "order_num": orders[0]})
	if number(t, part.Command1["num_tickets"]) != 3 {
		t.Errorf("printing one order of 3 after the refusal: %v", part.Command1)
	}
}

// TestLargeTicketPrint is the target "a 5,000-ticket ticket_print completes through 202
// polling without the request holding a connection open": the tickets of one account
// and event, sold in orders of 500, printed as one A6 PDF through the Go client's
// polling helper (client.Command) on a server whose polling deadline is 50 ms. Every
// request the server saw is recorded: the first is answered 202 (the print goes on in
// the background), polls 202 until the last, 200 with the PDF. 600 tickets (two orders)
// by default; TICKETBOOTH_PRINT_TICKETS=5000 for the README's figure. The set-up (holds
// and payments through the API) is not timed; the print's time is logged.
func TestLargeTicketPrint(t *testing.T) {
	n := 600
	if s := os.Getenv("TICKETBOOTH_PRINT_TICKETS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			t.Fatalf("TICKETBOOTH_PRINT_TICKETS=%q is not a number of tickets", s)
		}
	}
	e := newEnv(t)
	buy := e.partner("sth-buy", "main")
	event, acct := e.event(20, (n+19)/20), e.account("ada@example.com")
	start := time.Now()
	orders := e.soldTickets(buy, event, acct, n)
	t.Logf("set-up: %d tickets in %d orders held and paid in %s", n, len(orders), time.Since(start).Round(time.Millisecond))
	srv, seen := e.recordedServer(season.Polling{Deadline: 50 * time.Millisecond})
	c, err := client.New(srv, buy)
	if err != nil {
		t.Fatal(err)
	}
	body := envelope(map[string]any{"cmd": "ticket_print", "uid": "user99", "dsn": "main", "acct_id": acct, "event_name": event, "paper_size": "A6"})
	start = time.Now()
	data, err := c.Command(context.Background(), "sth-buy", "main", []byte(body))
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	var r reply
	if err := json.Unmarshal(data, &r); err != nil || r.result() != 0 {
		t.Fatalf("ticket_print: %v, result %d %v", err, r.result(), r.Command1["error_detail"])
	}
	if got := number(t, r.Command1["num_tickets"]); got != int64(n) || len(list(t, r.Command1["orders"])) != len(orders) {
		t.Fatalf("printed %d tickets of %d orders, want %d of %d", got, len(list(t, r.Command1["orders"])), n, len(orders))
	}
	requests := seen()
	if len(requests) < 2 || requests[0].status != http.StatusAccepted || requests[len(requests)-1].status != http.StatusOK {
		t.Fatalf("the server answered %v, want 202 first and 200 last", requests)
	}
	longest := slices.MaxFunc(requests, func(a, b answered) int { return cmp.Compare(a.took, b.took) })
	t.Logf("ticket_print of %d tickets through polling: %s (%.0f tickets/s), %d requests: the first %s (%d), the longest %s (%d), the last %s (%d); PDF %.1f MB in base64",
		n, took.Round(time.Millisecond), float64(n)/took.Seconds(), len(requests), requests[0].took.Round(time.Millisecond), requests[0].status,
		longest.took.Round(time.Millisecond), longest.status, requests[len(requests)-1].took.Round(time.Millisecond), requests[len(requests)-1].status,
		float64(len(r.Command1["pdf"].(string)))/1e6)
}

// answered is one request the recorded server answered: its status and how long it took.
type answered struct {
	status int
	took   time.Duration
}

// recordedServer serves the env's store with the command API's polling tuned, recording
// every request's status and duration; it returns the server's URL and what it saw.
func (e *env) recordedServer(polling season.Polling) (string, func() []answered) {
	e.t.Helper()
	svc, err := wiring.Season(wiring.Services(e.store), e.store, "", nil, polling)
	if err != nil {
		e.t.Fatal(err)
	}
	h, err := server.New(svc, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []answered
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start, sw := time.Now(), &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		mu.Lock()
		seen = append(seen, answered{sw.status, time.Since(start)})
		mu.Unlock()
	}))
	e.t.Cleanup(srv.Close)
	return srv.URL, func() []answered {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// statusWriter notes the status a handler writes.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}
