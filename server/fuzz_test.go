package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// FuzzRequestBodies sends arbitrary bodies to every write route of a contract with a sale
// on, with keys of every role: whatever the body, the answer is never a 5xx, and every
// 4xx carries a JSON error.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{
		`{"fee":5}`, `{"count":-1}`, `{"requireIdentityVerification":"yes"}`,
		`{"seatPrices":[{"seat":{"number":1,"letter":"A"},"price":1}],"details":null}`,
		`{"seat":{"number":1,"letter":"A"},"sender":"x","amount":-5}`, `{"seats":[],"sender":""}`,
		`{"seat":{"number":1,"letter":"A"},"secret":"x"}`, `{"qr":"[{}]","gate":"n"}`, `{"qr":"[{\"seat\":{\"number\":1e999}}]"}`,
		`[]`, `null`, `"`, `{"seat":{"number":99999999999999999999}}`, "\x00\xff",
	} {
		f.Add(uint8(0), seed)
	}
	url, address, keys := fuzzServer(f)
	routes := []string{"TicketReleaseFee", "NoReleaseBlocks", "IdentityVerificationPolicy", "BeginSale", "EndSale",
		"ReserveTicket", "ReserveTickets", "ReleaseTicket", "CheckIn", "VerifyTicket"}
	f.Fuzz(func(t *testing.T, pick uint8, body string) {
		route, key := routes[int(pick)%len(routes)], keys[int(pick)%len(keys)]
		req, _ := http.NewRequest("POST", url+api.ContractPath(address, route), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s with %q: %d %s", route, body, resp.StatusCode, data)
		}
		if resp.StatusCode >= 400 && !strings.Contains(string(data), `"error"`) {
			t.Fatalf("%s with %q: %d without an error body: %s", route, body, resp.StatusCode, data)
		}
	})
}

// fuzzServer starts a server over a fresh ledger with a two-seat contract on sale and
// returns its URL, the contract and keys of every role.
func fuzzServer(f *testing.F) (string, string, []string) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, pgtest.LedgerDB(f), sqlstore.Options{BlockInterval: time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	var keys []string
	for _, role := range []ledger.Role{ledger.RoleOrganizer, ledger.RoleBoxOffice, ledger.RoleScanner} {
		k, _, err := st.Keys.CreateKey(ctx, role, string(role))
		if err != nil {
			f.Fatal(err)
		}
		keys = append(keys, k)
	}
	owner, err := st.Keys.Authenticate(ctx, keys[0])
	if err != nil {
		f.Fatal(err)
	}
	admin := ledger.WithActor(ctx, owner) // the organizer key owns the contract
	seats := []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 2, Letter: "A"}}
	c, _, err := st.Contracts.CreateContract(admin, "Fuzz Hall", seats)
	if err != nil {
		f.Fatal(err)
	}
	prices := []ledger.SeatPrice{{Seat: seats[0], Price: 10}, {Seat: seats[1], Price: 20}}
	d := ledger.SaleDetails{Name: "Show", Organiser: "Org", Time: time.Now().Add(time.Hour).Unix(), EndOfSale: 1 << 26}
	if _, err := st.Contracts.BeginSale(admin, c.Address, prices, d); err != nil {
		f.Fatal(err)
	}
	if _, err := (&issuer.Issuer{Ledger: st.Selling}).Reserve(admin, c.Address, issuer.Request{Seats: seats[:1], Sender: "x"}); err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(newServer(f, st, nil))
	f.Cleanup(srv.Close)
	return srv.URL, c.Address, keys
}
