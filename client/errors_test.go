package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestErrorsMatchTheStore makes the same bad calls through the client and on the store
// directly: the code and the message must come back unchanged.
func TestErrorsMatchTheStore(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	all := seats(t, "1A", "1B")
	c, _, err := e.alice.CreateContract(ctx, "Hall", all)
	ok(t, err, "CreateContract")
	unknown, _ := ledger.NewAddress()
	d := e.details(t, 5)
	past := d
	past.Time = e.clock.Now().Unix() - 1
	ended := d
	ended.EndOfSale = 0
	calls := map[string]func(svc ledger.Service, ctx context.Context) error{
		"EmptyVenue": func(s ledger.Service, ctx context.Context) error {
			_, _, err := s.CreateContract(ctx, " ", all)
			return err
		},
		"DuplicateSeats": func(s ledger.Service, ctx context.Context) error {
			_, _, err := s.CreateContract(ctx, "Hall", append(all, all[0]))
			return err
		},
		"NegativeFee": func(s ledger.Service, ctx context.Context) error {
			_, err := s.SetReleaseFee(ctx, c.Address, -1)
			return err
		},
		"NegativeCount": func(s ledger.Service, ctx context.Context) error {
			_, err := s.SetNoReleaseBlocks(ctx, c.Address, -1)
			return err
		},
		"NoPrices": func(s ledger.Service, ctx context.Context) error {
			_, err := s.BeginSale(ctx, c.Address, nil, d)
			return err
		},
		"Duplicate": func(s ledger.Service, ctx context.Context) error {
			_, err := s.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[0]}, {Seat: all[1]}, {Seat: all[0]}}, d)
			return err
		},
		"Missing": func(s ledger.Service, ctx context.Context) error {
			_, err := s.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[1]}}, d)
			return err
		},
		"Unknown": func(s ledger.Service, ctx context.Context) error {
			_, err := s.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[0]}, {Seat: all[1]}, {Seat: ledger.Seat{Number: 7}}}, d)
			return err
		},
		"ShowInPast": func(s ledger.Service, ctx context.Context) error {
			_, err := s.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[0]}, {Seat: all[1]}}, past)
			return err
		},
		"EndInPast": func(s ledger.Service, ctx context.Context) error {
			_, err := s.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[0]}, {Seat: all[1]}}, ended)
			return err
		},
		"EndSaleNoSale":   func(s ledger.Service, ctx context.Context) error { _, err := s.EndSale(ctx, c.Address); return err },
		"UnknownContract": func(s ledger.Service, ctx context.Context) error { _, err := s.Contract(ctx, unknown); return err },
		"UnknownTickets":  func(s ledger.Service, ctx context.Context) error { _, err := s.Tickets(ctx, unknown); return err },
		"UnknownFee": func(s ledger.Service, ctx context.Context) error {
			_, err := s.SetReleaseFee(ctx, unknown, 1)
			return err
		},
		"Malformed": func(s ledger.Service, ctx context.Context) error {
			_, err := s.Contract(ctx, "not-an-address")
			return err
		},
		"MalformedSlash": func(s ledger.Service, ctx context.Context) error {
			_, err := s.Tickets(ctx, "CGTta3M4t3yXu8uRg/../../ledger")
			return err
		},
		"MalformedQuery": func(s ledger.Service, ctx context.Context) error {
			_, err := s.SetIdentityPolicy(ctx, "C?x=1#frag", true)
			return err
		},
		"ShortHash": func(s ledger.Service, ctx context.Context) error { _, err := s.Receipt(ctx, "abc"); return err },
		"UnknownHash": func(s ledger.Service, ctx context.Context) error {
			_, err := s.Receipt(ctx, strings.Repeat("0f", 32))
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			want := call(e.store.Ledger(), e.aliceActor)
			got := call(e.alice, ctx)
			if want == nil {
				t.Fatalf("the store accepted the call")
			}
			wantCode(t, got, ledger.ErrorCode(want))
			if ledger.ErrorMessage(got) != ledger.ErrorMessage(want) {
				t.Errorf("client message %q, store message %q", ledger.ErrorMessage(got), ledger.ErrorMessage(want))
			}
		})
	}
}

func TestAuthorizationErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c, _, err := e.alice.CreateContract(ctx, "Hall", seats(t, "1A"))
	ok(t, err, "CreateContract")
	_, _, err = e.anon.CreateContract(ctx, "Hall", seats(t, "1A"))
	wantCode(t, err, ledger.EUNAUTHORIZED)
	_, err = e.anon.SetReleaseFee(ctx, c.Address, 1)
	wantCode(t, err, ledger.EUNAUTHORIZED)
	_, err = e.anon.Verify(ctx)
	wantCode(t, err, ledger.EUNAUTHORIZED)
	_, _, err = e.shop.CreateContract(ctx, "Hall", seats(t, "1A"))
	wantCode(t, err, ledger.EFORBIDDEN)
	_, err = e.gate.EndSale(ctx, c.Address)
	wantCode(t, err, ledger.EFORBIDDEN)
	_, err = e.bob.SetIdentityPolicy(ctx, c.Address, true)
	wantCode(t, err, ledger.EFORBIDDEN)
	_, err = e.bob.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: seats(t, "1A")[0], Price: 1}}, e.details(t, 2))
	wantCode(t, err, ledger.EFORBIDDEN)

	wrong := mustClient(t, e.url, "tb_not_a_key")
	_, err = wrong.Contract(ctx, c.Address)
	wantCode(t, err, ledger.EUNAUTHORIZED)
	if _, err := e.anon.Contract(ctx, c.Address); err != nil {
		t.Errorf("anonymous read: %v", err)
	}
}

func TestUnreachableServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	c := mustClient(t, url, "key")
	_, err = c.Info(context.Background())
	wantCode(t, err, ledger.EINTERNAL)
	if !strings.Contains(ledger.ErrorMessage(err), l.Addr().String()) {
		t.Errorf("message %q does not name the server %s", ledger.ErrorMessage(err), url)
	}
	_, err = c.SetReleaseFee(context.Background(), ledger.ZeroAddress, 1)
	wantCode(t, err, ledger.EINTERNAL)
}

func TestCancelledContext(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.anon.Info(ctx)
	if err == nil || !errors.Is(err, context.Canceled) && ledger.ErrorCode(err) != ledger.EINTERNAL {
		t.Errorf("Info with a cancelled context = %v", err)
	}
}

// TestNotOurServer points the client at servers that do not speak the API.
func TestNotOurServer(t *testing.T) {
	tests := map[string]struct {
		status int
		body   string
		code   string
	}{
		"BadGateway":  {http.StatusBadGateway, "<html>bad gateway</html>", ledger.EINTERNAL},
		"Garbage200":  {http.StatusOK, "this is not JSON", ledger.EINTERNAL},
		"HTML404":     {http.StatusNotFound, "<html>nothing here</html>", ledger.ENOTFOUND},
		"Teapot":      {http.StatusTeapot, "", ledger.EINTERNAL},
		"Leaky500":    {http.StatusInternalServerError, `{"error":"internal error","code":"internal"}`, ledger.EINTERNAL},
		"Forbidden":   {http.StatusForbidden, `{"error":"Only the owner may do this","code":"forbidden"}`, ledger.EFORBIDDEN},
		"WrongShape":  {http.StatusOK, `[1,2,3]`, ledger.EINTERNAL},
		"EmptyObject": {http.StatusUnauthorized, `{}`, ledger.EUNAUTHORIZED},
		"Plain405":    {http.StatusMethodNotAllowed, "method not allowed", ledger.EINVALID},
		"Plain422":    {http.StatusUnprocessableEntity, "", ledger.EINVALID},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			_, err := mustClient(t, srv.URL, "").Info(context.Background())
			if name == "Leaky500" {
				// The server's own words for a fault it does not detail.
				if ledger.ErrorCode(err) != tt.code || ledger.ErrorMessage(err) != "internal error" {
					t.Errorf("500 answer gave %q %q", ledger.ErrorCode(err), ledger.ErrorMessage(err))
				}
				return
			}
			wantCode(t, err, tt.code)
		})
	}
}

func TestNewRejects(t *testing.T) {
	for _, url := range []string{"", "localhost:8080", "ftp://example.org", "http://", "://x", "file:///tmp/ledger.db"} {
		_, err := client.New(url, "")
		wantCode(t, err, ledger.EINVALID)
	}
	for _, url := range []string{"http://127.0.0.1:8080", "https://tickets.example.org/", "http://[::1]:1"} {
		if _, err := client.New(url, ""); err != nil {
			t.Errorf("New(%q): %v", url, err)
		}
	}
}
