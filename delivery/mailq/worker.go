package mailq

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Defaults of a Worker's policy.
const (
	DefaultMaxAttempts = 10
	DefaultBackoff     = 30 * time.Second
	DefaultMaxBackoff  = time.Hour
	DefaultLease       = 5 * time.Minute
	DefaultPoll        = time.Second
	DefaultBatch       = 50
)

// Worker sends the due mails of a queue through a transport, as long as Run runs. Zero
// fields take the defaults above.
type Worker struct {
	Spool     ledger.MailSpool
	Transport Transport
	From      string // the envelope sender, a plain address
	Log       *slog.Logger

	MaxAttempts int           // attempts before a mail fails for good
	Backoff     time.Duration // the wait after the first failed attempt; doubled after each
	MaxBackoff  time.Duration // the longest wait
	Lease       time.Duration // how long a claimed mail is this worker's alone
	Poll        time.Duration // how often an idle worker looks for due mails
	Batch       int           // mails claimed at once

	wakeOnce sync.Once
	wake     chan struct{}
}

// Queue returns the worker's queue for callers that queue mails: Enqueue stores the mail
// and wakes the worker at once instead of at its next poll.
func (w *Worker) Queue() ledger.MailQueue { return notifying{w} }

type notifying struct{ w *Worker }

func (n notifying) Enqueue(ctx context.Context, m ledger.OutgoingMail) (bool, error) {
	added, err := n.w.Spool.Enqueue(ctx, m)
	if added {
		n.w.Wake()
	}
	return added, err
}

// Wake makes the worker look for due mails now.
func (w *Worker) Wake() {
	select {
	case w.wakeup() <- struct{}{}:
	default:
	}
}

func (w *Worker) wakeup() chan struct{} {
	w.wakeOnce.Do(func() { w.wake = make(chan struct{}, 1) })
	return w.wake
}

// Run sends due mails until ctx ends. A connection stays open while mails are due and is
// closed when the queue runs dry.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	s := &session{w: w}
	defer s.close()
	for ctx.Err() == nil {
		n := w.round(ctx, s)
		if n > 0 {
			continue
		}
		s.close()
		select {
		case <-ctx.Done():
		case <-w.wakeup():
		case <-time.After(w.Poll):
		}
	}
}

// Drain sends every mail due now and returns how many it handed over; tests and
// `ticketbooth mail bench` use it instead of Run.
func (w *Worker) Drain(ctx context.Context) int {
	w.defaults()
	s := &session{w: w}
	defer s.close()
	sent := 0
	for ctx.Err() == nil {
		n := w.round(ctx, s)
		sent += s.sent
		s.sent = 0
		if n == 0 {
			break
		}
	}
	return sent
}

func (w *Worker) defaults() {
	w.wakeup()
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&w.Backoff, DefaultBackoff)
	set(&w.MaxBackoff, DefaultMaxBackoff)
	set(&w.Lease, DefaultLease)
	set(&w.Poll, DefaultPoll)
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = DefaultMaxAttempts
	}
	if w.Batch <= 0 {
		w.Batch = DefaultBatch
	}
}

// round claims a batch of due mails and sends them; it returns how many it claimed. A
// mail handed over is recorded sent while the next ones are sent: the records that queue
// up during one commit of the store are written in the next, together (the store's group
// commit), instead of the sender waiting on a commit of its own for each mail. The round
// ends when every record is written.
func (w *Worker) round(ctx context.Context, s *session) int {
	claimed, err := w.Spool.Claim(ctx, w.Batch, w.Lease)
	if err != nil {
		if ctx.Err() == nil {
			w.Log.Error("mail queue: claiming due mails", "err", ledger.ErrorMessage(err))
		}
		return 0
	}
	var records sync.WaitGroup
	defer records.Wait()
	for i, m := range claimed {
		if ctx.Err() != nil {
			return len(claimed) // the rest waits for its lease to expire
		}
		if err := s.open(ctx); err != nil {
			w.failAll(ctx, claimed[i:], err)
			return 0
		}
		if err := s.send(ctx, m); err != nil {
			w.record(ctx, m, err)
			continue
		}
		records.Go(func() { w.record(ctx, m, nil) })
	}
	return len(claimed)
}

// failAll records a failed connection as a temporary failure of every mail claimed.
func (w *Worker) failAll(ctx context.Context, mails []ledger.ClaimedMail, err error) {
	w.Log.Warn("mail server unreachable", "transport", w.Transport.Name(), "err", scrub(err.Error()), "mails", len(mails))
	for _, m := range mails {
		w.record(ctx, m, temporary{err})
	}
}

// temporary marks an error that is never a permanent refusal.
type temporary struct{ error }

// record writes the outcome of an attempt, even when ctx has ended meanwhile: a mail
// handed over is recorded sent, or it would be sent again.
func (w *Worker) record(ctx context.Context, m ledger.ClaimedMail, err error) {
	ctx = context.WithoutCancel(ctx)
	to := ledger.MaskAddress(m.To)
	if err == nil {
		if rerr := w.Spool.Sent(ctx, m); rerr != nil {
			w.Log.Error("mail sent but not recorded", "id", m.ID, "key", m.Key, "to", to, "err", ledger.ErrorMessage(rerr))
			return
		}
		w.Log.Info("mail sent", "id", m.ID, "key", m.Key, "to", to, "transport", w.Transport.Name())
		return
	}
	f := w.failure(m, err)
	if rerr := w.Spool.Failed(ctx, m, f); rerr != nil {
		w.Log.Error("mail attempt not recorded", "id", m.ID, "key", m.Key, "to", to, "err", ledger.ErrorMessage(rerr))
		return
	}
	if f.Permanent {
		w.Log.Error("mail failed", "id", m.ID, "key", m.Key, "to", to, "attempts", m.Attempts+1, "reason", f.Reason)
		return
	}
	w.Log.Warn("mail not sent, will retry", "id", m.ID, "key", m.Key, "to", to, "attempts", m.Attempts+1, "retry_in", f.RetryIn, "reason", f.Reason)
}

// failure is the outcome of a failed attempt: for good after a permanent refusal or the
// last attempt, else a retry after the backoff.
func (w *Worker) failure(m ledger.ClaimedMail, err error) ledger.MailFailure {
	reason := scrub(err.Error())
	attempts := m.Attempts + 1
	switch {
	case permanent(err):
		return ledger.MailFailure{Reason: "refused: " + reason, Permanent: true}
	case attempts >= w.MaxAttempts:
		return ledger.MailFailure{Reason: reason + " (gave up after " + itoa(attempts) + " attempts)", Permanent: true}
	}
	return ledger.MailFailure{Reason: reason, RetryIn: w.backoff(attempts)}
}

// backoff is the wait after the nth failed attempt: Backoff doubled n-1 times, at most
// MaxBackoff, then a random point in its upper half (jitter), so that the mails of one
// outage do not all come back at once.
func (w *Worker) backoff(n int) time.Duration {
	d := w.Backoff
	for i := 1; i < n && d < w.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}
