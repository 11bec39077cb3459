package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestRateLimit: a client gets its burst, then one request per refill; another client
// has its own bucket; a refused client is answered 429 with Retry-After.
func TestRateLimit(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newRateLimit(2, 3)
	l.now = func() time.Time { return now }
	for i := range 3 {
		if !l.allow("a") {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if l.allow("a") {
		t.Fatal("a fourth request within the burst allowed")
	}
	if !l.allow("b") {
		t.Fatal("another client refused")
	}
	now = now.Add(500 * time.Millisecond)
	if !l.allow("a") || l.allow("a") {
		t.Fatal("half a second at 2 a second should give exactly one more request")
	}
	h := l.wrap(responder{}, func(w http.ResponseWriter, r *http.Request) { t.Error("the refused request ran") })
	req := httptest.NewRequest("GET", "/api/v1.0/wallet", nil)
	req.RemoteAddr = "a:1234"
	rec := httptest.NewRecorder()
	h(rec, req)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "Too many requests") {
		t.Errorf("refusal %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}

// TestRateLimitForgets: past maxClients, the buckets that refilled are dropped.
func TestRateLimitForgets(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newRateLimit(1, 2)
	l.now = func() time.Time { return now }
	for i := range maxClients {
		l.allow(string(rune(i)))
	}
	now = now.Add(time.Minute)
	l.allow("new")
	if len(l.clients) != 1 {
		t.Errorf("%d clients kept, want only the new one", len(l.clients))
	}
}

// FuzzWalletToken: any header is read without a panic, and a token is read only from
// "Wallet TOKEN" with a well-formed token; everything else is EUNAUTHORIZED in one of
// the two fixed sentences, which never quote the header back.
func FuzzWalletToken(f *testing.F) {
	for _, s := range []string{"", "Wallet ", "Wallet " + strings.Repeat("A", 43), "Bearer x", "Wallet  " + strings.Repeat("_", 43) + " ",
		"Wallet " + strings.Repeat("A", 42) + "=", "Wallet \x00", "Wallet " + strings.Repeat("-", 44)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		token, err := walletToken(header)
		if err != nil {
			msg := ledger.ErrorMessage(err)
			if ledger.ErrorCode(err) != ledger.EUNAUTHORIZED || msg != ledger.ErrorMessage(ledger.ErrWalletToken()) && !strings.HasPrefix(msg, "The wallet needs") {
				t.Fatalf("walletToken(%q): %v", header, err)
			}
			return
		}
		if _, err := ledger.ParseWalletToken(token); err != nil || !strings.HasPrefix(header, "Wallet ") || strings.TrimSpace(header[7:]) != token {
			t.Fatalf("walletToken(%q) = %q", header, token)
		}
	})
}
