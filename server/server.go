package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Server is the HTTP API over a ledger. It does what every request shares (authenticate,
// log, recover, bound the body, answer unknown routes); each area of the API is its own
// handler type registered from New (see doc.go).
type Server struct {
	responder
	auth   Authenticator // bearer keys to actors
	mux    *http.ServeMux
	decode *decodeSlots // bounds the images decoded at once, shared by the gate and the pages
	replay *replayer    // the Idempotency-Key of writes; nil without Services.Replays
}

// MaxBodyBytes bounds request bodies: a 200,000-seat contract or price list fits.
const MaxBodyBytes = 32 << 20

// New returns the API handler serving svc, with the routes of the services it holds. log
// receives one line per request (method, path, status, duration: never a body, a key or a
// header) and internal errors. EINTERNAL when a required service is missing.
func New(svc Services, log *slog.Logger) (*Server, error) {
	if err := svc.check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{responder: responder{log: log}, auth: svc.Auth, mux: http.NewServeMux(), decode: newDecodeSlots(runtime.NumCPU(), DecodeWait)}
	out := s.responder
	contracts{responder: out, ledger: svc.Ledger}.routes(s.mux)
	ticketList{responder: out, ledger: svc.Ledger, pager: svc.Tickets}.routes(s.mux)
	selling{responder: out, ledger: svc.Ledger, sales: svc.Sales, sealed: svc.Sealed}.routes(s.mux)
	gate{responder: out, gate: svc.Gate, decoders: s.decode}.routes(s.mux)
	uploads{responder: out, up: svc.Uploads}.routes(s.mux)
	door{responder: out, ledger: svc.Door}.routes(s.mux)
	gateCopies{responder: out, copier: svc.GateCopies}.routes(s.mux)
	pages{responder: out, counts: svc.Counts, decoders: s.decode}.routes(s.mux)
	journal{responder: out, ledger: svc.Ledger}.routes(s.mux)
	customers{responder: out, customers: svc.Customers}.routes(s.mux)
	bookings{responder: out, bookings: svc.Bookings, confirmer: svc.Confirmer, resender: svc.Resender}.routes(s.mux)
	ticketpark{responder: out, records: svc.Ticketpark, ledger: svc.Ledger, customers: svc.Customers,
		bookings: svc.Bookings, confirmer: svc.Confirmer, resender: svc.Resender}.routes(s.mux)
	bam{responder: out, ids: svc.Bam, bookings: svc.Bookings, confirmer: svc.Confirmer, lists: svc.TicketLists}.routes(s.mux)
	ticketLists{responder: out, lists: svc.TicketLists}.routes(s.mux)
	mails{responder: out, view: svc.Mails}.routes(s.mux)
	walletRoutes := wallets{responder: out, wallets: svc.Wallets, mail: walletMail(svc), limit: newRateLimit(WalletRate, WalletBurst)}
	walletRoutes.routes(s.mux)
	walletDevices{wallets: walletRoutes, devices: svc.Devices}.routes(s.mux)
	resale{responder: out, ledger: svc.Resale, deliver: issuer.Deliverer{Reseller: svc.Reseller, Sales: svc.Sales, Resale: svc.Resale,
		Customers: svc.Customers, Mail: svc.TicketMail}, wallets: svc.Wallets}.routes(s.mux)
	webhooks{responder: out, hooks: svc.Webhooks}.routes(s.mux)
	if svc.Commands != nil {
		s.mux.Handle(CommandsPath, svc.Commands)
	}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	if svc.Replays != nil {
		s.replay = &replayer{responder: out, store: svc.Replays}
	}
	return s, nil
}

// ServeHTTP authenticates the request when it carries a key, compresses the answer when
// the client accepts gzip and it is worth it (see gzipWriter), recovers from panics and
// logs one line per request. Request bodies are never decompressed.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if p := recover(); p == http.ErrAbortHandler {
			s.log.Log(r.Context(), slog.LevelInfo, "request aborted", "method", r.Method, "path", r.URL.Path, "duration", time.Since(start))
			panic(p) // net/http cuts the connection: an answer half sent must not look whole
		} else if p != nil {
			s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", p)
			s.error(rec, ledger.Errorf(ledger.EINTERNAL, "internal error"))
		}
		level := slog.LevelInfo
		if r.URL.Path == DecodePath || strings.HasPrefix(r.URL.Path, AssetsPath) {
			level = slog.LevelDebug // camera frames arrive several times a second per device
		}
		s.log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	}()
	if r.ContentLength != 0 {
		rec.body = &bodyWatch{ReadCloser: r.Body}
		r.Body = http.MaxBytesReader(rec, rec.body, MaxBodyBytes)
	}
	ctx, err := s.authenticate(r)
	if err != nil {
		s.error(rec, err)
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.notFound(rec, r)
		return
	}
	rec.Header().Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r) {
		s.route(rec, r.WithContext(ctx))
		return
	}
	gz := &gzipWriter{ResponseWriter: rec}
	s.route(gz, r.WithContext(ctx))
	gz.finish() // not after a panic: an answer cut off must not end as if whole
}

// route runs the request's route, through the replayer of idempotent writes when the
// server has one.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if s.replay != nil {
		s.replay.serve(w, r, s.mux)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// notFound answers a path or method no route serves, in the API's JSON error shape.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && m != r.Method {
			w.Header().Set("Allow", m)
			s.answer(w, api.WrongMethod, ledger.Errorf(ledger.EINVALID, "%s %s is not allowed: use %s", r.Method, r.URL.Path, m), nil)
			return
		}
	}
	s.error(w, ledger.Errorf(ledger.ENOTFOUND, "No route %s %s: see the API in the README", r.Method, r.URL.Path))
}

// authenticate attaches the actor of the bearer key, if any. A request without a key
// goes on anonymous (reads are public; writes then fail with 401), and so does every
// request to the wallet's API, whose routes read the header themselves (a link's token,
// api.WalletScheme).
func (s *Server) authenticate(r *http.Request) (context.Context, error) {
	h := r.Header.Get("Authorization")
	if h == "" || api.IsWalletPath(r.URL.Path) { // the wallet's routes read their own (a link's token)
		return r.Context(), nil
	}
	key, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(key) == "" {
		return nil, ledger.Errorf(ledger.EUNAUTHORIZED, "Authorization must be: Bearer <key>")
	}
	actor, err := s.auth.Authenticate(r.Context(), strings.TrimSpace(key))
	if err != nil {
		return nil, err
	}
	return ledger.WithActor(r.Context(), actor), nil
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	body   *bodyWatch // nil for a request without a body
}

// WriteHeader records the status. An error answered before the request's body was read
// to its end (a write without a key, a refused image) closes the connection after the
// answer: net/http would otherwise read the rest of the body first, and a client sending
// it a byte at a time would hold the answer back for as long as it likes.
func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	if code >= http.StatusBadRequest && r.body != nil && !r.body.done {
		r.Header().Set("Connection", "close")
	}
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's writer (to flush a stream).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
