package server

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// rateLimit bounds how often one client (by its IP address) may call a public route: a
// bucket of burst requests per client, refilled at rate a second. A client over it is
// answered 429 with Retry-After. Buckets that are full again are forgotten once the map
// grows past maxClients, so memory stays bounded.
type rateLimit struct {
	rate, burst float64
	now         func() time.Time
	mu          sync.Mutex
	clients     map[string]*bucket
}

// bucket is one client's remaining requests at a time.
type bucket struct {
	tokens float64
	at     time.Time
}

// maxClients is how many clients' buckets a limit keeps before it forgets the full ones.
const maxClients = 10000

func newRateLimit(rate, burst float64) *rateLimit {
	return &rateLimit{rate: rate, burst: burst, now: time.Now, clients: map[string]*bucket{}}
}

// allow takes one request from the client's bucket and reports whether there was one.
func (l *rateLimit) allow(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.clients[client]
	if !ok {
		if len(l.clients) >= maxClients {
			l.forgetFull(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.clients[client] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// forgetFull drops the buckets that have refilled: those clients start afresh anyway.
func (l *rateLimit) forgetFull(now time.Time) {
	for c, b := range l.clients {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.clients, c)
		}
	}
}

// wrap answers 429 to a client over the limit, else runs next.
func (l *rateLimit) wrap(o responder, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !l.allow(clientIP(r)) {
			o.answer(w, api.TooManyRequests, ledger.Errorf(ledger.EUNAVAILABLE, "Too many requests from your address: wait a moment and try again"), nil)
			return
		}
		next(w, r)
	}
}

// clientIP is the request's remote IP address, without its port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
