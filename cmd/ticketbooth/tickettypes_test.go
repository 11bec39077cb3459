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

// TestTicketTypeCommands: sale begin --type gives the sale its ticket types (the theatre:
// row 1 at EUR 35.00, the rest at 25.00), booking add --type holds seats as one of them at
// its price, booking show and the confirmed tickets name the types, and the refusals
// have their exit statuses: a malformed --type (2), a type the sale lacks or does not
// offer for the seat (1).
func TestTicketTypeCommands(t *testing.T) {
	db := newDB(t, time.Second)
	conn := []string{"--db", db}
	address := lastLine(mustCLI(t, "contract", "create", "--fixture", "theatre", "--db", db))
	begin := []string{"sale", "begin", "--contract", address, "--name", "Hamlet", "--organiser", "Globe", "--db", db,
		"--time", time.Now().Add(48 * time.Hour).Format(time.RFC3339), "--ends-in", "1h", "--prices-fixture", "theatre"}
	for _, tc := range []struct{ flag, part string }{
		{"reduced", "no price"}, {"=12.00", "no type name"}, {"reduced@row:1=12.00", `"row" is not level, section or seat`},
		{"reduced@seat:1=2=3", `Invalid seat "1=2"`}, {"reduced=-1", "Invalid amount"}, {"reduced@level:99.00=1", "no seat of this sale has that base price"},
	} {
		r := runCLI(t, "", append(begin, "--type", tc.flag)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.part) {
			t.Errorf("--type %s: exit %d, stderr %q; want 2 saying %q", tc.flag, r.code, r.stderr, tc.part)
		}
	}
	out := mustCLI(t, append(begin, "--type", "reduced=20.00", "--type", "reduced@level:35.00=30.00", "--type", "child@seat:2A=5.00")...)
	if !strings.Contains(out, "with ticket types reduced, child") {
		t.Errorf("sale begin printed %q", out)
	}
	id := strconv.FormatInt(newBookingIn(t, db, address), 10)
	mustCLI(t, append([]string{"booking", "add", "--booking", id, "--seat", "1A,2B", "--type", "reduced"}, conn...)...)
	mustCLI(t, append([]string{"booking", "add", "--booking", id, "--seat", "2A", "--type", "child"}, conn...)...)
	for _, tc := range []struct{ typ, part string }{{"child", `"child" is not offered for seat 1B`}, {"vip", `"vip" is not offered in this sale`}} {
		r := runCLI(t, "", append([]string{"booking", "add", "--booking", id, "--seat", "1B", "--type", tc.typ}, conn...)...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.part) {
			t.Errorf("booking add --type %s: exit %d, stderr %q; want 1 saying %q", tc.typ, r.code, r.stderr, tc.part)
		}
	}
	out = mustCLI(t, append([]string{"booking", "show", "--booking", id}, conn...)...)
	for _, want := range []string{"1A  reserved  3000  reduced", "2A  reserved  500  child", "2B  reserved  2000  reduced"} {
		if !strings.Contains(out, want) {
			t.Errorf("booking show lacks %q:\n%s", want, out)
		}
	}
	file := filepath.Join(t.TempDir(), "tickets.json")
	mustCLI(t, append([]string{"booking", "confirm", "--booking", id, "--out", file}, conn...)...)
	var p issuer.Purchase
	data, err := os.ReadFile(file)
	if err != nil || json.Unmarshal(data, &p) != nil || p.Total != 5500 || p.Tickets[1].Type != "child" || p.Tickets[1].Price != 500 {
		t.Fatalf("confirm wrote %s (%v)", data, err)
	}
	if out := mustCLI(t, "ledger", "verify", "--db", db); !strings.Contains(out, "ledger verified") {
		t.Errorf("ledger verify printed %q", out)
	}
}

// newBookingIn opens a booking on the contract for a new customer, in the store at db.
func newBookingIn(t *testing.T, db, address string) int64 {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	cu, err := st.Customers.CreateCustomer(admin, ledger.Customer{LastName: "Example"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.Bookings.NewBooking(admin, address, cu.ID)
	if err != nil {
		t.Fatal(err)
	}
	return b.ID
}

// FuzzTypeFlag reads --type values: never a panic, a price or a refusal in words.
func FuzzTypeFlag(f *testing.F) {
	for _, seed := range []string{"reduced=12.00", "reduced@level:35.00=30", "child@seat:Stalls/2A=5", "x@section:=1", "@=", "a@b", "=", "a@seat:=1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		name, p, err := parseTypeFlag(spec, "EUR")
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("%q: a refusal without words", spec)
			}
			return
		}
		if name == "" || p.Price < 0 {
			t.Fatalf("%q: name %q, price %+v", spec, name, p)
		}
	})
}
