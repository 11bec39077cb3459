package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestTicketsFind: tickets --owner --status --format --sort-by --direction lists the
// shop's tickets through a server with a box-office key, in the order asked; --with
// includes the customer for that key, a scanner key asking for it is refused (exit 4),
// and a bad column is a usage error (exit 2) naming the allowed ones.
func TestTicketsFind(t *testing.T) {
	url, organizer, scannerKey, db := remote(t)
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
	if err := json.Unmarshal([]byte(mustCLI(t, append([]string{"booking", "new", "--contract", address, "--customer", customer, "--format", "SECURE", "--json"}, conn...)...)), &b); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, append([]string{"booking", "add", "--booking", strconv.FormatInt(b.ID, 10), "--seat", "2A,1A"}, conn...)...)
	find := []string{"tickets", "--owner", customer, "--status", "reserved", "--format", "SECURE", "--sort-by", "price", "--direction", "desc"}
	out := mustCLI(t, append(find, conn...)...)
	if !strings.Contains(out, "SEAT") || strings.Index(out, "1A ") > strings.Index(out, "2A ") || !strings.Contains(out, "2 tickets") ||
		!strings.Contains(out, "reserved  SECURE") {
		t.Errorf("tickets --owner ... printed %q", out)
	}
	var listed []ledger.ListedTicket
	out = mustCLI(t, append(append(find, "--with", "[booking.customer]", "--json"), conn...)...)
	if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed) != 2 || listed[0].With == nil ||
		listed[0].With.BookingCustomer == nil || listed[0].With.BookingCustomer.Email != "ann@example.org" {
		t.Fatalf("tickets --with --json printed %s (%v)", out, err)
	}
	r := runCLI(t, "", append(append(find, "--with", "[booking.customer]"), "--server", url, "--key", scannerKey)...)
	if r.code != exitDenied || !strings.Contains(r.stderr, "may not see customers' personal data") || strings.Contains(r.stdout, "ann@") {
		t.Errorf("a scanner key asking for customers: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", append([]string{"tickets", "--owner", customer, "--sort-by", "secret"}, conn...)...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "use one of seat, price, status") {
		t.Errorf("--sort-by secret: exit %d, %q", r.code, r.stderr)
	}
	if out := mustCLI(t, "tickets", "--contract", address, "--db", db); !strings.Contains(out, "held") {
		t.Errorf("the contract's list without find flags printed %q", out)
	}
}
