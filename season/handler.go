package season

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Path is the route of the command API; {product} is one of ProductNames.
const Path = "POST /{product}/ticketing_services.aspx"

// MaxBodyBytes bounds a command's body (the server bounds every body too).
const MaxBodyBytes = 1 << 20

// DefaultDSN is the DSN of the ledger a server was started with, unless named otherwise.
const DefaultDSN = "main"

// Services are what the command API serves, wired by internal/wiring. Partners is
// required; without Meter calls are not limited, without Jobs every call waits for its
// command (tests of other parts only).
type Services struct {
	DSN       string // the DSN this server serves; "" is DefaultDSN
	Partners  ledger.PartnerKeys
	Records   ledger.SeasonRecords // the events, accounts' seats and the database's status
	Accounts  ledger.SeasonAccounts
	Meter     ledger.CallMeter
	Ledger    ledger.Service
	Customers ledger.Customers
	Bookings  ledger.Bookings
	Confirmer issuer.BookingConfirmer
	Resender  issuer.Resender
	Lists     ledger.TicketLists
	Reissuer  Reissuer
	// Jobs keeps the jobs of asynchronous polling (poll.go), shared by the servers of
	// the database.
	Jobs ledger.CommandJobs
	// Polling tunes the polling: the deadline before a 202 (poll.go).
	Polling Polling
}

// Handler serves the command API.
type Handler struct {
	svc      Services
	log      *slog.Logger
	commands map[string]command
	active   atomic.Int64 // calls being answered now, jobs in the background included (ping's active_requests)
	load     cpuLoad
	runner   string // names this handler in the jobs it runs (their lease)
}

// New returns the handler serving svc.
func New(svc Services, log *slog.Logger) (*Handler, error) {
	if svc.Partners == nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "the command API was started without its partner keys (season.Services.Partners)")
	}
	if svc.Records == nil || svc.Accounts == nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "the command API was started without its events and accounts (season.Services.Records, Accounts)")
	}
	if svc.DSN == "" {
		svc.DSN = DefaultDSN
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	svc.Polling = svc.Polling.withDefaults()
	return &Handler{svc: svc, log: log, commands: commands(), runner: randomText(12)}, nil
}

// call is one admitted call: the partner, its grant and the path's product, and once the
// envelope is read, the body and the request.
type call struct {
	actor    ledger.Actor
	grant    ledger.PartnerGrant
	product  Product
	dsn      string
	data     []byte   // the body as sent
	bodyErr  *failure // why the body could not be read
	bodyRead bool     // the body was read (into data, or bodyErr)
	req      request
	// pollRefused: the call carried polling cookies that name no job of its key sent
	// with this body; it is refused once counted.
	pollRefused *failure
}

// ServeHTTP answers a call in these steps; every answer is the envelope, a failure's too.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.active.Add(1)
	defer h.active.Add(-1)
	c, f := h.admit(r) // the path's product, the key and its grant, the DSN
	if f == nil && h.answerPoll(w, r, c) {
		return // a poll of a job of this key with its body: not counted against the limits
	}
	if f == nil {
		f = h.meter(r.Context(), c) // the key's limits
	}
	if f == nil {
		f = h.read(r, c) // the envelope, its DSN and command
	}
	if f == nil {
		f = c.pollRefused // polling cookies that name no job of this key with this body
	}
	if f != nil {
		h.fail(w, c.req, f)
		return
	}
	h.execute(w, r, c) // the command, answered within the deadline or as a job (poll.go)
}

// admit checks the path's product, the key and its grant, and the DSN.
func (h *Handler) admit(r *http.Request) (*call, *failure) {
	c := &call{}
	p, ok := ParseProduct(r.PathValue("product"))
	if !ok {
		return c, refuse(http.StatusNotFound, ResultNotFound, "There is no product %q: use %s.", r.PathValue("product"), strings.Join(ProductNames(), ", "))
	}
	c.product = p
	q := r.URL.Query()
	key := q.Get("apikey")
	if key == "" {
		return c, refuse(http.StatusUnauthorized, ResultKey, "An API key is required: add apikey=KEY to the URL.")
	}
	a, g, err := h.svc.Partners.Partner(r.Context(), key)
	if err != nil {
		return c, h.keyFailure(err)
	}
	c.actor, c.grant, c.dsn = a, g, q.Get("dsn")
	return c, h.granted(c)
}

// keyFailure answers a key the partner keys refused: 401, or 503 when they could not say.
func (h *Handler) keyFailure(err error) *failure {
	if ledger.ErrorCode(err) == ledger.EUNAUTHORIZED {
		return refuse(http.StatusUnauthorized, ResultKey, "%s", ledger.ErrorMessage(err))
	}
	h.log.Error("checking a partner key", "err", err)
	return failureOf(err)
}

// granted checks the key's grant against the path's product and the URL's DSN.
func (h *Handler) granted(c *call) *failure {
	top, _ := ParseProduct(c.grant.Product)
	if !top.Includes(c.product) {
		return refuse(http.StatusUnauthorized, ResultKey, "This key may not use %s (it may use %s and the products below it).", c.product, top)
	}
	if c.dsn == "" {
		return refuse(http.StatusNotFound, ResultNotFound, "The URL names no DSN: add dsn=%s.", h.svc.DSN)
	}
	if !slices.ContainsFunc(c.grant.DSNs, func(d string) bool { return strings.EqualFold(d, c.dsn) }) {
		return refuse(http.StatusUnauthorized, ResultKey, "This key may not use the DSN %q.", c.dsn)
	}
	if !strings.EqualFold(c.dsn, h.svc.DSN) {
		return refuse(http.StatusNotFound, ResultNotFound, "This server serves the DSN %q, not %q.", h.svc.DSN, c.dsn)
	}
	return nil
}

// meter counts the call against the key's limits: 429 with Retry-After over one.
func (h *Handler) meter(ctx context.Context, c *call) *failure {
	if h.svc.Meter == nil {
		return nil
	}
	v, err := h.svc.Meter.Meter(ctx, c.actor.KeyID, c.grant)
	if err != nil {
		h.log.Error("counting a partner's call", "key", c.actor.KeyID, "err", err)
		return failureOf(err)
	}
	if v.Allowed {
		return nil
	}
	f := refuse(http.StatusTooManyRequests, ResultLimit, "This key has made all the calls its limit allows this %s; try again in %s.", v.Limit, waitWords(v.RetryAfter.Seconds()))
	f.retryAfter = v.RetryAfter
	return f
}

// waitWords says a wait in whole seconds: "12 seconds".
func waitWords(seconds float64) string {
	n := int(math.Ceil(seconds))
	if n <= 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}

// readBody reads the call's body into c.data, once.
func (h *Handler) readBody(r *http.Request, c *call) *failure {
	if !c.bodyRead {
		c.bodyRead = true
		c.data, c.bodyErr = bodyOf(r)
	}
	return c.bodyErr
}

// bodyOf reads a request's body, up to MaxBodyBytes.
func bodyOf(r *http.Request) ([]byte, *failure) {
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, failf(ResultMalformed, "The body is larger than %d bytes.", MaxBodyBytes)
		}
		return nil, failf(ResultMalformed, "The body could not be read to its end.")
	}
	return data, nil
}

// read reads the envelope and checks its DSN and command against the URL's.
func (h *Handler) read(r *http.Request, c *call) *failure {
	if f := h.readBody(r, c); f != nil {
		return f
	}
	req, f := parseEnvelope(c.data)
	c.req = req
	if f != nil {
		return f
	}
	if !strings.EqualFold(req.dsn, c.dsn) {
		return failf(ResultDSNMismatch, "command1.dsn %q is not the URL's DSN %q.", req.dsn, c.dsn)
	}
	cmd, ok := h.commands[req.cmd]
	if !ok {
		return failf(ResultUnknownCommand, "There is no command %q.", req.cmd)
	}
	if !c.product.Includes(cmd.product) {
		return failf(ResultNotInProduct, "%s is not part of %s: call it under /%s/ or a product above it.", req.cmd, c.product, cmd.product)
	}
	return nil
}

// run runs the call's command with the partner acting as a box-office key.
func (h *Handler) run(ctx context.Context, c *call) (map[string]any, error) {
	as := ledger.Actor{KeyID: c.actor.KeyID, Name: c.actor.Name, Role: ledger.RoleBoxOffice}
	return h.commands[c.req.cmd].run(ledger.WithActor(ctx, as), h, c)
}

// logged turns a command's error into its failure, logging an internal one (the
// command and the error, never the body).
func (h *Handler) logged(c *call, err error) *failure {
	f := failureOf(err)
	if f.status >= http.StatusInternalServerError {
		h.log.Error("command failed", "cmd", c.req.cmd, "key", c.actor.KeyID, "err", err)
	}
	return f
}

// fail answers a failure in the envelope, with its status and Retry-After.
func (h *Handler) fail(w http.ResponseWriter, req request, f *failure) {
	if f.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.retryAfter.Seconds()))))
	}
	h.write(w, f.status, answer(req, f.result, nil, f.detail))
}

// write sends an answer as JSON.
func (h *Handler) write(w http.ResponseWriter, status int, body map[string]any) {
	data, err := json.Marshal(body)
	if err != nil {
		h.log.Error("encoding an answer", "err", err)
		status, data = http.StatusServiceUnavailable, []byte(`{"command1":{"result":9012,"error_detail":"The answer could not be encoded."}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(data)
}
