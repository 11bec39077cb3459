package season_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
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

// TestLargeTicketPrint prints the tickets of one account and event sold in orders of
// 500 as one A6 PDF through ticket_print: 600 tickets (two orders), or as many as
// TICKETBOOTH_PRINT_TICKETS says (5,000 for the README's figure). The set-up (holds and
// payments through the API) is not timed; the print's time is logged.
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
	start = time.Now()
	r := e.command("sth-buy", buy, map[string]any{"cmd": "ticket_print", "acct_id": acct, "event_name": event, "paper_size": "A6"})
	took := time.Since(start)
	pdf := r.Command1["pdf"].(string)
	if got := number(t, r.Command1["num_tickets"]); got != int64(n) || len(list(t, r.Command1["orders"])) != len(orders) {
		t.Fatalf("printed %d tickets of %d orders, want %d of %d", got, len(list(t, r.Command1["orders"])), n, len(orders))
	}
	t.Logf("ticket_print of %d tickets: %s (%.0f tickets/s), PDF %.1f MB in base64", n, took.Round(time.Millisecond),
		float64(n)/took.Seconds(), float64(len(pdf))/1e6)
}
