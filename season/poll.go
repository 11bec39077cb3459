package season

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Asynchronous polling, as the seed describes it: every command runs under a deadline
// (Polling.Deadline). Done in time, it is answered at once. Not done, the call answers
// 202 with the cookies CID (the job), QTKN (its token) and SID (the caller's session),
// and the command goes on in the background on this server, detached from the request and
// bounded by ledger.JobRunLimit, while this server renews the job's lease in the store
// (ledger.CommandJobs). The caller sends the same body again with the cookies (poll_answer.go):
// any server of the database answers 202 while it runs, then the command's answer with
// its status, for ledger.JobKeep.

// DefaultDeadline is how long a call waits for its command before answering 202.
const DefaultDeadline = 3 * time.Second

// DefaultTestPollingDelay is how long ats_ext_test_polling takes, as the seed says.
const DefaultTestPollingDelay = 10 * time.Second

// PollInterval is the pause between polls the seed recommends; the 202's body says it.
const PollInterval = 300 * time.Millisecond

// Polling tunes the asynchronous polling; the zero value is the defaults.
type Polling struct {
	// Deadline is how long a call waits for its command before answering 202; 0 is
	// DefaultDeadline.
	Deadline time.Duration
	// TestPollingDelay is how long ats_ext_test_polling takes; 0 is
	// DefaultTestPollingDelay. Tests shorten it; a request cannot.
	TestPollingDelay time.Duration
	// LeaseRenewal is how often the server running a job renews its lease; 0 is a third
	// of ledger.JobLease. A test sets it past the lease to play a server that stopped.
	LeaseRenewal time.Duration
}

// withDefaults fills the zero fields.
func (p Polling) withDefaults() Polling {
	if p.Deadline <= 0 {
		p.Deadline = DefaultDeadline
	}
	if p.TestPollingDelay <= 0 {
		p.TestPollingDelay = DefaultTestPollingDelay
	}
	if p.LeaseRenewal <= 0 {
		p.LeaseRenewal = ledger.JobLease / 3
	}
	return p
}

// outcome is a command's answer, encoded: its HTTP status and body.
type outcome struct {
	status     int
	retryAfter time.Duration
	body       []byte
}

// execute runs the admitted call's command under the deadline: its answer when it is
// done in time, else 202 and the cookies of a job that goes on in the background.
// Without a job store (tests of other parts) it waits for the answer.
func (h *Handler) execute(w http.ResponseWriter, r *http.Request, c *call) {
	if h.svc.Jobs == nil {
		h.send(w, h.outcome(r.Context(), c))
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), ledger.JobRunLimit)
	done := make(chan outcome, 1)
	go func() {
		defer cancel()
		done <- h.outcome(ctx, c)
	}()
	deadline := time.NewTimer(h.svc.Polling.Deadline)
	defer deadline.Stop()
	select {
	case o := <-done:
		h.send(w, o)
	case <-deadline.C:
		h.accept(w, r, c, done)
	}
}

// outcome runs the call's command and encodes its answer or failure. A panic of the
// command is a failure too: it may run in the background, where nothing else recovers.
func (h *Handler) outcome(ctx context.Context, c *call) (o outcome) {
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("command panicked", "cmd", c.req.cmd, "key", c.actor.KeyID, "panic", fmt.Sprint(p))
			o = h.encode(refuse(http.StatusServiceUnavailable, ResultUnavailable, "The command failed on the server; try again in a moment."), c.req, nil)
		}
	}()
	fields, err := h.run(ctx, c)
	if err != nil {
		return h.encode(h.logged(c, err), c.req, nil)
	}
	return h.encode(nil, c.req, fields)
}

// encode encodes a command's fields, or its failure when f is not nil.
func (h *Handler) encode(f *failure, req request, fields map[string]any) outcome {
	o := outcome{status: http.StatusOK}
	body := answer(req, ResultOK, fields, "")
	if f != nil {
		o.status, o.retryAfter = f.status, f.retryAfter
		body = answer(req, f.result, nil, f.detail)
	}
	data, err := json.Marshal(body)
	if err != nil {
		h.log.Error("encoding an answer", "cmd", req.cmd, "err", err)
		return outcome{status: http.StatusServiceUnavailable, body: []byte(`{"command1":{"result":9012,"error_detail":"The answer could not be encoded."}}`)}
	}
	o.body = data
	return o
}

// send writes an encoded answer.
func (h *Handler) send(w http.ResponseWriter, o outcome) {
	if o.retryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(o.retryAfter.Seconds()+0.999)))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(o.status)
	w.Write(o.body)
}

// accept records the call as a job run by this server, keeps it in the background and
// answers 202 with its cookies. A job the store cannot record is a 503: the command
// goes on, but nobody can poll its answer.
func (h *Handler) accept(w http.ResponseWriter, r *http.Request, c *call, done <-chan outcome) {
	j := ledger.CommandJob{ID: randomText(18), Token: randomText(32), KeyID: c.actor.KeyID,
		Body: sha256.Sum256(c.data), Runner: h.runner}
	if err := h.svc.Jobs.StartJob(r.Context(), j); err != nil {
		h.log.Error("starting a job", "cmd", c.req.cmd, "key", c.actor.KeyID, "err", err)
		h.fail(w, c.req, failureOf(err))
		return
	}
	h.active.Add(1) // until keep has the answer: the call goes on as a job
	go h.keep(j, c.req.cmd, done)
	setJobCookies(w, r, j)
	h.write(w, http.StatusAccepted, answer(c.req, ResultOK, underWay(), ""))
}

// underWay are the fields of a 202's command1: the job is under way.
func underWay() map[string]any {
	return map[string]any{
		"poll_status": "running",
		"poll_detail": fmt.Sprintf("The command is under way: send the same body again with the cookies CID, QTKN and SID in about %d ms, until the answer is 200.", PollInterval.Milliseconds()),
	}
}

// keep renews the job's lease until its command is done, then keeps its answer.
func (h *Handler) keep(j ledger.CommandJob, cmd string, done <-chan outcome) {
	renew := time.NewTicker(h.svc.Polling.LeaseRenewal)
	defer renew.Stop()
	for {
		select {
		case o := <-done:
			h.active.Add(-1)
			h.finish(j, cmd, o)
			return
		case <-renew.C:
			h.renew(j, cmd)
		}
	}
}

// renew renews the job's lease, waiting for the store at most a lease's time.
func (h *Handler) renew(j ledger.CommandJob, cmd string) {
	ctx, cancel := context.WithTimeout(context.Background(), ledger.JobLease)
	defer cancel()
	if err := h.svc.Jobs.RenewJob(ctx, j.ID, j.Runner); err != nil {
		h.log.Error("renewing a job's lease", "cmd", cmd, "key", j.KeyID, "err", err)
	}
}

// finish keeps the job's answer; a job whose answer could not be kept is reported
// interrupted once its lease runs out.
func (h *Handler) finish(j ledger.CommandJob, cmd string, o outcome) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := h.svc.Jobs.FinishJob(ctx, j, o.status, o.body); err != nil {
		h.log.Error("keeping a job's answer", "cmd", cmd, "key", j.KeyID, "err", err)
	}
}

// randomText is n random bytes as unpadded base64url: a cookie's value.
func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
