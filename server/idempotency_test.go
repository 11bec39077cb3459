package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// idem sends a write with an Idempotency-Key.
func (e *env) idem(method, path, key, idemKey, body string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set(server.IdempotencyHeader, idemKey)
	return e.send(req)
}

const twoSeats = `{"seats":[{"number":1,"letter":"A"},{"number":1,"letter":"B"}],"sender":"buyer-1"}`

func TestIdempotentReserveSellsOnce(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	path := api.ContractPath(addr, "ReserveTickets")
	first := e.idem("POST", path, e.shop, "retry-1", twoSeats)
	var p issuer.Purchase
	first.want(t, http.StatusCreated, &p)
	if first.header.Get(server.ReplayedHeader) != "" {
		t.Errorf("the first answer is marked replayed")
	}
	again := e.idem("POST", path, e.shop, "retry-1", twoSeats)
	if again.status != first.status || !bytes.Equal(again.body, first.body) || again.header.Get(server.ReplayedHeader) != "true" {
		t.Fatalf("retry answered %d %s (replayed %q), want the first answer %d %s again", again.status, again.body,
			again.header.Get(server.ReplayedHeader), first.status, first.body)
	}
	if again.header.Get("X-Transaction-Hash") != p.TransactionHash || again.header.Get("Content-Type") != first.header.Get("Content-Type") {
		t.Errorf("retry's headers %v, want those of the first answer %v", again.header, first.header)
	}
	if n := len(e.journalHashes(ledger.TxTicketsReserved)); n != 1 {
		t.Fatalf("%d reservations in the journal, want 1", n)
	}
	sold := 0
	for _, tk := range e.ticketList(addr) {
		if tk.Address != ledger.ZeroAddress {
			sold++
		}
	}
	if sold != 2 {
		t.Fatalf("%d seats sold, want 2", sold)
	}
	e.transactionCount() // the journal verifies
	e.idem("POST", path, e.shop, "retry-1", strings.Replace(twoSeats, `"B"`, `"A"},{"number":2,"letter":"A"`, 1)).
		wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "another request")
	// Without a key, the same body is a second purchase of taken seats: refused.
	e.do("POST", path, e.shop, twoSeats).wantError(t, http.StatusBadRequest, ledger.EREFUSED)
}

func TestIdempotencyKeyIsPerActor(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	path := api.ContractPath(addr, "ReserveTickets")
	e.idem("POST", path, e.shop, "shared", twoSeats).want(t, http.StatusCreated, nil)
	other := e.idem("POST", path, e.alice, "shared", twoSeats)
	other.wantError(t, http.StatusBadRequest, ledger.EREFUSED) // ran anew: the seats are taken
	if other.header.Get(server.ReplayedHeader) != "" {
		t.Fatalf("another actor got the first actor's answer")
	}
	// The refusal is kept too: the same request is refused again, from the kept answer.
	kept := e.idem("POST", path, e.alice, "shared", twoSeats)
	kept.wantError(t, http.StatusBadRequest, ledger.EREFUSED)
	if kept.header.Get(server.ReplayedHeader) != "true" {
		t.Fatalf("a kept refusal was not replayed")
	}
}

func TestIdempotencyKeepsNoTicketKeyInClear(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	var p issuer.Purchase
	e.idem("POST", api.ContractPath(addr, "ReserveTickets"), e.shop, "secret-idem-key", twoSeats).want(t, http.StatusCreated, &p)
	var secrets []string
	for _, tk := range p.Tickets {
		secrets = append(secrets, tk.Secret.Plaintext, tk.Secret.Key, tk.Secret.IV)
	}
	secrets = append(secrets, "secret-idem-key", "buyer-1", p.TransactionHash)
	rows, err := openRaw(t, e.path).Query(`SELECT actor, key_hash, request, state, answer FROM idempotency`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		var cols [5]string
		if err := rows.Scan(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4]); err != nil {
			t.Fatal(err)
		}
		for _, col := range cols {
			for _, s := range secrets {
				if strings.Contains(col, s) {
					t.Fatalf("the kept row holds %q in clear", s)
				}
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d kept rows, want 1", n)
	}
}

func TestIdempotencyKeyConcurrentRetries(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	path := api.ContractPath(addr, "ReserveTickets")
	var wg sync.WaitGroup
	answers := make([]response, 6)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = e.idem("POST", path, e.shop, "racing", twoSeats)
		}()
	}
	wg.Wait()
	var created []byte
	for _, a := range answers {
		switch {
		case a.status == http.StatusCreated && created == nil:
			created = a.body
		case a.status == http.StatusCreated && !bytes.Equal(a.body, created):
			t.Fatalf("two different purchases for one key:\n%s\n%s", created, a.body)
		case a.status == http.StatusConflict:
			a.wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "still in progress")
			if a.header.Get("Retry-After") == "" {
				t.Errorf("an in-progress refusal without Retry-After")
			}
		case a.status != http.StatusCreated:
			t.Fatalf("answer %d %s", a.status, a.body)
		}
	}
	if n := len(e.journalHashes(ledger.TxTicketsReserved)); n != 1 || created == nil {
		t.Fatalf("%d reservations in the journal, want 1", n)
	}
}

func TestIdempotencyKeyBadHeader(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	path := api.ContractPath(addr, "ReserveTickets")
	for name, key := range map[string]string{"too long": strings.Repeat("k", 256), "tab (a control character)": "a\tb", "invalid UTF-8": "a\xffb"} {
		t.Run(name, func(t *testing.T) {
			e.t = t
			e.idem("POST", path, e.shop, key, twoSeats).wantError(t, http.StatusBadRequest, ledger.EINVALID)
		})
	}
	e.t = t
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(twoSeats))
	req.Header.Set("Authorization", "Bearer "+e.shop)
	req.Header.Add(server.IdempotencyHeader, "one")
	req.Header.Add(server.IdempotencyHeader, "two")
	e.send(req).wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "one Idempotency-Key")
	e.idem("POST", path, e.shop, strings.Repeat("k", 255), twoSeats).want(t, http.StatusCreated, nil)
	if n := len(e.journalHashes(ledger.TxTicketsReserved)); n != 1 {
		t.Fatalf("%d reservations, want 1 (the bad keys ran nothing)", n)
	}
	if strings.Contains(e.logs.String(), strings.Repeat("k", 40)) {
		t.Fatalf("the Idempotency-Key is in the log")
	}
}

func TestIdempotencyKeyExpires(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1<<20, saleRules{})
	path := api.ContractPath(addr, "ReserveTickets")
	e.idem("POST", path, e.shop, "daily", twoSeats).want(t, http.StatusCreated, nil)
	e.clock.Advance(ledger.IdempotencyWindow - time.Minute)
	e.idem("POST", path, e.shop, "daily", twoSeats).want(t, http.StatusCreated, nil)
	e.clock.Advance(2 * time.Minute)
	late := e.idem("POST", path, e.shop, "daily", twoSeats)
	late.wantError(t, http.StatusBadRequest, ledger.EREFUSED) // forgotten: runs again, the seats are taken
	if late.header.Get(server.ReplayedHeader) != "" {
		t.Fatalf("an answer older than the window was replayed")
	}
}

// BenchmarkReserveIdempotency measures one ReserveTicket through the HTTP API on
// loopback, without and with an Idempotency-Key (a fresh one per purchase: the claim,
// the sealed answer and the two writes they take), and a replay of a kept answer.
func BenchmarkReserveIdempotency(b *testing.B) {
	for _, mode := range []string{"plain", "key", "replay"} {
		b.Run(mode, func(b *testing.B) {
			srv, key, addr := benchSale(b, b.N)
			url := srv.URL + api.ContractPath(addr, "ReserveTicket")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				seat, idem := i, fmt.Sprint("bench-", i)
				if mode == "replay" {
					seat, idem = 0, "bench-0"
				}
				body := fmt.Sprintf(`{"seat":{"section":"S%d","number":%d},"sender":"bench"}`, seat/1000, seat%1000+1)
				req, _ := http.NewRequest("POST", url, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+key)
				if mode != "plain" {
					req.Header.Set(server.IdempotencyHeader, idem)
				}
				resp, err := srv.Client().Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b.Fatalf("purchase %d: status %d", i, resp.StatusCode)
				}
			}
			b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(time.Millisecond), "ms/op")
		})
	}
}

// benchSale serves a ledger with an open sale of n seats and returns the server, a
// box-office key and the contract.
func benchSale(b *testing.B, n int) (*httptest.Server, string, string) {
	srv, key, addr, _ := benchSaleOn(b, filepath.Join(b.TempDir(), "bench.db"), n)
	return srv, key, addr
}

// benchSaleOn is benchSale on the SQLite file path, also returning the store.
func benchSaleOn(b *testing.B, path string, n int) (*httptest.Server, string, string, *sqlstore.Store) {
	b.Helper()
	ctx := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	st, err := sqlstore.Open(ctx, path, sqlstore.Options{Serving: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	key, _, err := st.Keys.CreateKey(ctx, ledger.RoleBoxOffice, "bench till")
	if err != nil {
		b.Fatal(err)
	}
	seats := make([]ledger.Seat, n)
	prices := make([]ledger.SeatPrice, n)
	for i := range seats {
		seats[i] = ledger.Seat{Section: fmt.Sprint("S", i/1000), Number: i%1000 + 1}
		prices[i] = ledger.SeatPrice{Seat: seats[i], Price: 100}
	}
	c, _, err := st.Contracts.CreateContract(ctx, "Bench Arena", seats)
	if err != nil {
		b.Fatal(err)
	}
	info, _ := st.Journal.Info(ctx)
	d := ledger.SaleDetails{Name: "Bench", Organiser: "Bench", Time: time.Now().Add(time.Hour).Unix(), EndOfSale: info.Height + 1000}
	if _, err := st.Contracts.BeginSale(ctx, c.Address, prices, d); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(newServer(b, st, slog.New(slog.DiscardHandler)))
	b.Cleanup(srv.Close)
	return srv, key, c.Address, st
}

// The shop's routes get the Idempotency-Key by being writes: a retried booking open
// replays its Location and opens one booking, a retried confirm gives the same tickets
// and keys, and a retried DELETE frees once.
func TestIdempotencyOnTheShopRoutes(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	open := `{"customer":` + itoa(e.newCustomer()) + `,"contract":"` + addr + `"}`
	first := e.idem("POST", api.BookingsPath, e.shop, "open-1", open)
	var b ledger.Booking
	first.want(t, http.StatusCreated, &b)
	again := e.idem("POST", api.BookingsPath, e.shop, "open-1", open)
	if again.status != http.StatusCreated || !bytes.Equal(again.body, first.body) || again.header.Get("Location") != first.header.Get("Location") ||
		again.header.Get(server.ReplayedHeader) != "true" {
		t.Fatalf("retried open answered %d %s Location %q", again.status, again.body, again.header.Get("Location"))
	}
	hold := `{"seats":[` + seatJSON(1, "A") + `,` + seatJSON(2, "A") + `]}`
	e.idem("POST", api.BookingPath(b.ID, "tickets"), e.shop, "hold-1", hold).want(t, http.StatusOK, nil)
	e.idem("POST", api.BookingPath(b.ID, "tickets"), e.shop, "hold-1", hold).want(t, http.StatusOK, nil)
	free := api.BookingSeatPath(b.ID, ledger.Seat{Number: 2, Letter: "A"})
	e.idem("DELETE", free, e.shop, "free-1", "").want(t, http.StatusOK, nil)
	e.idem("DELETE", free, e.shop, "free-1", "").want(t, http.StatusOK, nil) // not "not in the booking"
	confirm := e.idem("POST", api.BookingPath(b.ID, "confirm"), e.shop, "confirm-1", "")
	var p issuer.Purchase
	confirm.want(t, http.StatusCreated, &p)
	retry := e.idem("POST", api.BookingPath(b.ID, "confirm"), e.shop, "confirm-1", "")
	if !bytes.Equal(retry.body, confirm.body) || retry.status != http.StatusCreated || len(p.Tickets) != 1 {
		t.Fatalf("retried confirm answered %d %s, want %s", retry.status, retry.body, confirm.body)
	}
	for _, kind := range []string{ledger.TxTicketsHeld, ledger.TxTicketFreed, ledger.TxBookingConfirmed} {
		if n := len(e.journalHashes(kind)); n != 1 {
			t.Errorf("%d %s transactions, want 1", n, kind)
		}
	}
	var bookings int
	if err := openRaw(t, e.path).QueryRow(`SELECT COUNT(*) FROM bookings`).Scan(&bookings); err != nil || bookings != 1 {
		t.Fatalf("%d bookings (%v), want 1", bookings, err)
	}
}

// BenchmarkReserveIdempotencyParallel is BenchmarkReserveIdempotency's plain and key
// modes with 32 clients at once (16 per core on two cores), as in an on-sale rush: the
// claims and kept answers then share the group commits of the sales.
func BenchmarkReserveIdempotencyParallel(b *testing.B) {
	for _, mode := range []string{"plain", "key"} {
		b.Run(mode, func(b *testing.B) {
			srv, key, addr := benchSale(b, b.N)
			url := srv.URL + api.ContractPath(addr, "ReserveTicket")
			var next atomic.Int64
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					seat := next.Add(1) - 1
					body := fmt.Sprintf(`{"seat":{"section":"S%d","number":%d},"sender":"bench"}`, seat/1000, seat%1000+1)
					req, _ := http.NewRequest("POST", url, strings.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+key)
					if mode == "key" {
						req.Header.Set(server.IdempotencyHeader, fmt.Sprint("bench-", seat))
					}
					resp, err := srv.Client().Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						b.Errorf("purchase %d: status %d", seat, resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sales/s")
		})
	}
}
