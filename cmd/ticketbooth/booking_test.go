package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestBookingCommands runs a booking through the box office's commands, through a
// server with a box-office key: new, add, free, show, confirm (the tickets written as
// JSON with their keys), and the refusals with their exit statuses: confirming twice,
// freeing an issued ticket, an unknown booking, a format other than PDF or SECURE; then
// a second booking opened --format SECURE, cancelled.
func TestBookingCommands(t *testing.T) {
	url, organizer, _, db := remote(t)
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	shop, _, err := st.Keys.CreateKey(context.Background(), ledger.RoleBoxOffice, "shop")
	if err != nil {
		t.Fatal(err)
	}
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	cu, err := st.Customers.CreateCustomer(admin, ledger.Customer{FirstName: "Ann", LastName: "Example", Email: "ann@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	address := theatreOnSale(t, []string{"--server", url, "--key", organizer}, "1h")
	conn := []string{"--server", url, "--key", shop}
	customer := strconv.FormatInt(cu.ID, 10)
	var b ledger.Booking
	if err := json.Unmarshal([]byte(mustCLI(t, append([]string{"booking", "new", "--contract", address, "--customer", customer, "--json"}, conn...)...)), &b); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(b.ID, 10)
	out := mustCLI(t, append([]string{"booking", "add", "--booking", id, "--seat", "1A,1B"}, conn...)...)
	if !strings.Contains(out, "held seats for booking "+id) || !strings.Contains(out, "1B  reserved") {
		t.Errorf("booking add printed %q", out)
	}
	mustCLI(t, append([]string{"booking", "free", "--booking", id, "--seat", "1B"}, conn...)...)
	out = mustCLI(t, append([]string{"booking", "show", "--booking", id}, conn...)...)
	if !strings.Contains(out, "1A  reserved") || strings.Contains(out, "  1B  ") || !strings.Contains(out, "held until") {
		t.Errorf("booking show printed %q", out)
	}
	out = mustCLI(t, "tickets", "--contract", address, "--server", url)
	if !strings.Contains(out, "held by a booking") || !strings.Contains(out, " sold, 1 held, ") || strings.Contains(out, "customer") {
		t.Errorf("tickets printed %q, want 1A held by a booking and nothing of who", out)
	}
	file := filepath.Join(t.TempDir(), "ann.json")
	out = mustCLI(t, append([]string{"booking", "confirm", "--booking", id, "--out", file}, conn...)...)
	if !strings.Contains(out, "confirmed booking "+id+": 1A") {
		t.Errorf("booking confirm printed %q", out)
	}
	var p issuer.Purchase
	data, err := os.ReadFile(file)
	if err != nil || json.Unmarshal(data, &p) != nil || len(p.Tickets) != 1 || p.Tickets[0].Secret.Key == "" || len(p.QR) != 1 {
		t.Fatalf("confirm wrote %s (%v)", data, err)
	}
	for _, tc := range []struct {
		args []string
		code int
		part string
	}{
		{[]string{"booking", "confirm", "--booking", id, "--out", file}, 1, "already confirmed"},
		{[]string{"booking", "free", "--booking", id, "--seat", "1A"}, 1, "issued"},
		{[]string{"booking", "show", "--booking", "424242"}, 1, "No booking 424242"},
		{[]string{"booking", "add", "--booking", id}, 2, "--seat"},
		{[]string{"booking", "new", "--contract", address, "--customer", customer, "--format", "paper"}, 2, "not one of PDF or SECURE"},
	} {
		r := runCLI(t, "", append(tc.args, conn...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.part) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d saying %q", tc.args, r.code, r.stderr, tc.code, tc.part)
		}
	}
	if out := mustCLI(t, append([]string{"booking", "new", "--contract", address, "--customer", customer, "--format", "SECURE", "--json"}, conn...)...); json.Unmarshal([]byte(out), &b) != nil || b.Format != ledger.FormatSecure {
		t.Fatalf("booking new --format SECURE printed %s", out)
	}
	other := strconv.FormatInt(b.ID, 10)
	if out := mustCLI(t, append([]string{"booking", "add", "--booking", other, "--seat", "1B"}, conn...)...); !strings.Contains(out, "open, SECURE tickets") {
		t.Errorf("booking add of a SECURE booking printed %q", out)
	}
	if out := mustCLI(t, append([]string{"booking", "cancel", "--booking", other}, conn...)...); !strings.Contains(out, "cancelled booking "+other) {
		t.Errorf("booking cancel printed %q", out)
	}
}

// TestSaleHoldTime: sale begin --hold-time sets how long the sale's bookings hold their
// seats, within the ledger's bounds.
func TestSaleHoldTime(t *testing.T) {
	db := newDB(t, time.Second)
	address := lastLine(mustCLI(t, "contract", "create", "--fixture", "theatre", "--db", db))
	begin := []string{"sale", "begin", "--contract", address, "--name", "Hamlet", "--organiser", "Globe", "--db", db,
		"--time", time.Now().Add(48 * time.Hour).Format(time.RFC3339), "--ends-in", "1h", "--prices-fixture", "theatre"}
	if r := runCLI(t, "", append(begin, "--hold-time", "5s")...); r.code != exitUsage || !strings.Contains(r.stderr, "Hold time must be between") {
		t.Errorf("--hold-time 5s: exit %d %q", r.code, r.stderr)
	}
	mustCLI(t, append(begin, "--hold-time", "10m")...)
	var c ledger.Contract
	if err := json.Unmarshal([]byte(mustCLI(t, "contract", "show", "--contract", address, "--db", db, "--json")), &c); err != nil {
		t.Fatal(err)
	}
	if c.Sale == nil || time.Duration(c.Sale.Details.HoldTime) != 10*time.Minute {
		t.Errorf("sale %+v, want a hold time of 10 minutes", c.Sale)
	}
}

// TestIssueAllAvailableLeavesHeldSeats: a batch of every available seat leaves out the
// seats a booking holds (the ticket list shows them held, not for sale), and the
// booking confirms them afterwards.
func TestIssueAllAvailableLeavesHeldSeats(t *testing.T) {
	db := newDB(t, time.Second)
	address := theatreOnSale(t, []string{"--db", db}, "1h")
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	cu, err := st.Customers.CreateCustomer(admin, ledger.Customer{LastName: "Example"})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var b ledger.Booking
	out := mustCLI(t, "booking", "new", "--db", db, "--contract", address, "--customer", strconv.FormatInt(cu.ID, 10), "--json")
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(b.ID, 10)
	mustCLI(t, "booking", "add", "--db", db, "--booking", id, "--seat", "1A,1B")
	dir := t.TempDir()
	out = mustCLI(t, "issue", "--db", db, "--contract", address, "--all-available", "--sender", "sponsor", "--out", filepath.Join(dir, "sponsor.pdf"))
	if !strings.Contains(out, "issued 6 tickets") {
		t.Errorf("issue --all-available printed %q, want the 6 seats no booking holds", out)
	}
	out = mustCLI(t, "booking", "confirm", "--db", db, "--booking", id, "--out", filepath.Join(dir, "booking.json"))
	if !strings.Contains(out, "confirmed booking "+id+": 1A, 1B") {
		t.Errorf("booking confirm printed %q", out)
	}
}
