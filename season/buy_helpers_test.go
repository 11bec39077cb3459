package season_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/delivery"
	"github.com/ticketbooth-go/ticketbooth/internal/mailtest"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// admin is the context of the test's own set-up: the administrator.
func admin() context.Context {
	return ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
}

// event creates a contract of rows A.. of perRow seats each (row A nearest the stage),
// at 50.00 EUR a seat, and begins its sale with the ticket type CHILD at 25.00 for
// every seat; it returns the event's name (the contract's address).
func (e *env) event(rows, perRow int) string {
	e.t.Helper()
	var seats []ledger.Seat
	for r := range rows {
		for n := 1; n <= perRow; n++ {
			seats = append(seats, ledger.Seat{Number: n, Letter: string(rune('A' + r))})
		}
	}
	c, _, err := e.store.Contracts.CreateContract(admin(), "Globe", seats)
	if err != nil {
		e.t.Fatal(err)
	}
	prices := make([]ledger.SeatPrice, len(seats))
	for i, s := range seats {
		prices[i] = ledger.SeatPrice{Seat: s, Price: 5000}
	}
	info, err := e.store.Journal.Info(admin())
	if err != nil {
		e.t.Fatal(err)
	}
	d := ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Players", Time: time.Now().Add(48 * time.Hour).Unix(),
		EndOfSale: info.Height + 100000, Currency: "EUR", TimeZone: "Europe/London",
		TicketTypes: []ledger.TicketType{{Name: "CHILD", Prices: []ledger.TypePrice{ledger.PriceForAll(2500)}}}}
	if _, err := e.store.Contracts.BeginSale(admin(), c.Address, prices, d); err != nil {
		e.t.Fatal(err)
	}
	return c.Address
}

// account records a customer through the ledger and returns the account's id.
func (e *env) account(email string) int64 {
	e.t.Helper()
	cu, err := e.store.Customers.CreateCustomer(admin(), ledger.Customer{FirstName: "Ada", LastName: "Lovelace", Email: email})
	if err != nil {
		e.t.Fatal(err)
	}
	return cu.ID
}

// command sends one command of the product with a key of it to the DSN main and fails
// the test unless it succeeds.
func (e *env) command(product, key string, fields map[string]any) reply {
	e.t.Helper()
	r := e.call(product, key, fields)
	if r.status != 200 || r.result() != 0 {
		e.t.Fatalf("%s: %d result %d: %v", fields["cmd"], r.status, r.result(), r.Command1["error_detail"])
	}
	return r
}

// call sends one command of the product with a key to the DSN main.
func (e *env) call(product, key string, fields map[string]any) reply {
	e.t.Helper()
	cmd := map[string]any{"uid": "user99", "dsn": "main"}
	for k, v := range fields {
		cmd[k] = v
	}
	body := envelope(cmd)
	return e.answered(product, key, body, e.post(product, "main", key, body))
}

// number reads a JSON number of an answer as an int64.
func number(t *testing.T, v any) int64 {
	t.Helper()
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%v is not a number", v)
	}
	return int64(f)
}

// list reads a JSON list of objects of an answer.
func list(t *testing.T, v any) []map[string]any {
	t.Helper()
	items, ok := v.([]any)
	if !ok {
		t.Fatalf("%v is not a list", v)
	}
	out := make([]map[string]any, len(items))
	for i, it := range items {
		if out[i], ok = it.(map[string]any); !ok {
			t.Fatalf("%v is not an object", it)
		}
	}
	return out
}

// seatText writes an answered seat as "SECTION/ROW/NUM".
func seatText(s map[string]any) string {
	return fmt.Sprintf("%v/%v/%s", s["section_name"], s["row_name"], strconv.FormatFloat(s["seat_num"].(float64), 'f', -1, 64))
}

// mailing points the env at a second server over the same store that mails the tickets
// it confirms and resends, as `serve` wires it, into an outbox folder it returns.
func (e *env) mailing() string {
	e.t.Helper()
	outbox := filepath.Join(e.t.TempDir(), "outbox")
	svc := wiring.Mailing(wiring.Services(e.store), e.store, wiring.Mailer{Queue: &delivery.Outbox{Dir: outbox}, PublicURL: "https://tickets.example"})
	svc, err := wiring.Season(svc, e.store, "", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	h, err := server.New(svc, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	e.t.Cleanup(srv.Close)
	e.url = srv.URL
	return outbox
}

// outboxMails reads the outbox's mails.
func outboxMails(t *testing.T, dir string) []mailtest.Message {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	var out []mailtest.Message
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, mailtest.Parse(t, raw))
	}
	return out
}
