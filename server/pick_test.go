package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// pickEnv is a server with an organizer and a box-office key, and a contract created
// through the API with seats 1A, 2A and the standing section Pit of three places, on sale.
type pickEnv struct {
	base, organizer, shop, contract string
}

func newPickEnv(tb testing.TB) *pickEnv {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, pgtest.LedgerDB(tb), sqlstore.Options{BlockInterval: time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	e := &pickEnv{}
	e.organizer, _, _ = st.Keys.CreateKey(ctx, ledger.RoleOrganizer, "promoter")
	e.shop, _, err = st.Keys.CreateKey(ctx, ledger.RoleBoxOffice, "shop")
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(newServer(tb, st, nil))
	tb.Cleanup(srv.Close)
	e.base = srv.URL
	var created api.CreateContractResponse
	e.send(tb, "POST", api.Base, e.organizer, `{"venue":"Festival Park","seats":[{"number":1,"letter":"A"},{"number":2,"letter":"A"}],
		"standing":[{"section":"Pit","capacity":3}]}`, http.StatusCreated, &created)
	e.contract = created.Address
	prices := `[{"seat":{"number":1,"letter":"A"},"price":3500},{"seat":{"number":2,"letter":"A"},"price":3500}`
	for n := 1; n <= 3; n++ {
		prices += `,{"seat":{"number":` + strconv.Itoa(n) + `,"letter":"","section":"Pit"},"price":2000}`
	}
	body := `{"seatPrices":` + prices + `],"details":{"name":"Open Air","organiser":"Park Sounds","time":` +
		strconv.FormatInt(time.Now().Add(48*time.Hour).Unix(), 10) + `,"endOfSale":67108864}}`
	e.send(tb, "POST", api.Base+"/"+e.contract+"/BeginSale", e.organizer, body, http.StatusCreated, nil)
	return e
}

// send sends the body and fails unless the answer has the status; it decodes a JSON
// answer into out (when not nil) and returns the raw answer.
func (e *pickEnv) send(tb testing.TB, method, path, key, body string, status int, out any) []byte {
	tb.Helper()
	req, _ := http.NewRequest(method, e.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != status {
		tb.Fatalf("%s %s %s: %d %s, want %d", method, path, body, resp.StatusCode, buf.Bytes(), status)
	}
	if out != nil {
		if err := json.Unmarshal(buf.Bytes(), out); err != nil {
			tb.Fatalf("%s %s: %v in %s", method, path, err, buf.Bytes())
		}
	}
	return buf.Bytes()
}

// booking opens a booking for a new customer and returns its tickets path.
func (e *pickEnv) booking(tb testing.TB) string {
	tb.Helper()
	var c ledger.Customer
	e.send(tb, "POST", api.CustomersPath, e.shop, `{"lastName":"Tomson"}`, http.StatusCreated, &c)
	var b ledger.Booking
	e.send(tb, "POST", api.BookingsPath, e.shop, `{"customer":`+strconv.FormatInt(c.ID, 10)+`,"contract":"`+e.contract+`"}`, http.StatusCreated, &b)
	return api.BookingPath(b.ID, "tickets")
}

// TestPickRoutes: a contract created with a standing section shows it; the booking's
// tickets route holds a quantity the ledger picks (section, priceLevel), and refuses in
// words, writing nothing, a quantity of zero, more than remain, an unknown section, and
// a body with both seats and a quantity.
func TestPickRoutes(t *testing.T) {
	e := newPickEnv(t)
	var c ledger.Contract
	e.send(t, "GET", api.Base+"/"+e.contract, "", "", http.StatusOK, &c)
	if c.SeatCount != 5 || len(c.Standing) != 1 || c.Standing[0] != (ledger.StandingSection{Section: "Pit", Capacity: 3}) {
		t.Fatalf("contract %+v, want 5 seats and the standing section Pit of 3", c)
	}
	tickets := e.booking(t)
	var rc ledger.BookingReceipt
	e.send(t, "POST", tickets, e.shop, `{"section":"Pit","quantity":2}`, http.StatusOK, &rc)
	if got := seatNames(rc.Booking.Seats()); got != "Pit/1 Pit/2" {
		t.Errorf("held %s, want Pit/1 Pit/2", got)
	}
	rc = ledger.BookingReceipt{} // decoding into the old tickets would keep their sections
	e.send(t, "POST", tickets, e.shop, `{"priceLevel":3500,"quantity":2}`, http.StatusOK, &rc)
	if got := seatNames(rc.Booking.Seats()); got != "1A 2A Pit/1 Pit/2" {
		t.Errorf("held %s, want 1A 2A beside the places", got)
	}
	other := e.booking(t)
	for _, tc := range []struct {
		body   string
		status int
		part   string
	}{
		{`{"section":"Pit","quantity":2}`, http.StatusBadRequest, `Only 1 place remains in section \"Pit\": 2 were asked for`},
		{`{"section":"Pit","quantity":0}`, http.StatusBadRequest, "Quantity must be at least 1"},
		{`{"section":"Balcony","quantity":1}`, http.StatusNotFound, `no section \"Balcony\"`},
		{`{"seats":[{"number":1,"letter":"A"}],"quantity":1}`, http.StatusBadRequest, "not both"},
		{`{"section":"Pit","quantity":1,"type":"child"}`, http.StatusBadRequest, "not offered"},
	} {
		if got := string(e.send(t, "POST", other, e.shop, tc.body, tc.status, nil)); !strings.Contains(got, tc.part) {
			t.Errorf("%s: answered %s, want it to say %s", tc.body, got, tc.part)
		}
	}
	var b ledger.Booking
	e.send(t, "GET", strings.TrimSuffix(other, "/tickets"), e.shop, "", http.StatusOK, &b)
	if len(b.Tickets) != 0 {
		t.Errorf("refused picks held %v", b.Seats())
	}
}

func seatNames(seats []ledger.Seat) string {
	var out []string
	for _, s := range seats {
		out = append(out, s.String())
	}
	return strings.Join(out, " ")
}

// FuzzPickBody sends arbitrary bodies to a booking's tickets route and to contract
// creation (where standing sections are new): the answer is never a 5xx, and every 4xx
// carries a JSON error.
func FuzzPickBody(f *testing.F) {
	for _, seed := range []string{
		`{"section":"Pit","quantity":1}`, `{"priceLevel":3500,"quantity":2}`, `{"quantity":-1}`, `{"quantity":1e9}`,
		`{"section":"","quantity":1,"type":"x"}`, `{"section":"P/t","quantity":1}`, `{"seats":[],"quantity":1}`,
		`{"venue":"V","standing":[{"section":"Pit","capacity":3}]}`, `{"venue":"V","standing":[{"section":"Pit","capacity":-3}]}`,
		`{"venue":"V","seats":[{"number":1,"section":"Pit"}],"standing":[{"section":"Pit","capacity":300000}]}`,
		`{"priceLevel":"35"}`, `null`, `[]`, "\x00",
	} {
		f.Add(false, seed)
		f.Add(true, seed)
	}
	e := newPickEnv(f)
	tickets := e.booking(f)
	f.Fuzz(func(t *testing.T, create bool, body string) {
		if create {
			sendBody(t, "POST", e.base+api.Base, e.organizer, body)
		} else {
			sendBody(t, "POST", e.base+tickets, e.shop, body)
		}
	})
}
