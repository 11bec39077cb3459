package webhook

import (
	"context"
	"crypto/tls"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The defaults of a Dispatcher.
const (
	DefaultWorkers   = 4
	DefaultTimeout   = 10 * time.Second
	DefaultPoll      = time.Second
	DefaultFirstWait = 30 * time.Second
	DefaultMaxWait   = time.Hour
	DefaultAttempts  = 12
	// followBatch is how many journal transactions one FollowJournal reads.
	followBatch = 500
)

// Dispatcher follows the journal into the queue and sends the due deliveries. Set Queue;
// every other field has a default.
type Dispatcher struct {
	Queue ledger.WebhookQueue
	// Workers bounds the deliveries being sent at once (DefaultWorkers).
	Workers int
	// Timeout bounds one attempt: connecting, TLS, sending and the answer
	// (DefaultTimeout).
	Timeout time.Duration
	// Poll is how long an idle dispatcher waits before looking again (DefaultPoll).
	Poll time.Duration
	// FirstWait is the wait after the first failed attempt; each further one doubles it up
	// to MaxWait, and each wait is drawn at random from its upper half (jitter).
	FirstWait, MaxWait time.Duration
	// Attempts is how many attempts a delivery gets before it has failed (DefaultAttempts).
	Attempts int
	// AllowPrivate lets attempts connect to private and link-local addresses.
	AllowPrivate bool
	// TLS configures the connections to https endpoints; nil: the system's roots.
	TLS *tls.Config
	// Log receives one line per failed attempt (the webhook and delivery ids, the event,
	// the status and the reason: never the URL, the secret or the body); nil discards.
	Log *slog.Logger
	// Now is the clock; nil: time.Now.
	Now func() time.Time

	once   sync.Once
	https  *http.Client
	http   *http.Client
	wakeUp chan struct{}
}

func (d *Dispatcher) setDefaults() {
	d.once.Do(func() {
		d.Workers = cmpOr(d.Workers, DefaultWorkers)
		d.Timeout = cmpOr(d.Timeout, DefaultTimeout)
		d.Poll = cmpOr(d.Poll, DefaultPoll)
		d.FirstWait = cmpOr(d.FirstWait, DefaultFirstWait)
		d.MaxWait = cmpOr(d.MaxWait, DefaultMaxWait)
		d.Attempts = cmpOr(d.Attempts, DefaultAttempts)
		if d.Log == nil {
			d.Log = slog.New(slog.DiscardHandler)
		}
		if d.Now == nil {
			d.Now = time.Now
		}
		d.https, d.http = d.client("https"), d.client("http")
		d.wakeUp = make(chan struct{}, 1)
	})
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// lease is how long a claimed delivery stays the claimer's: its attempt and recording it
// with room to spare.
func (d *Dispatcher) lease() time.Duration { return 2*d.Timeout + time.Minute }

// Run follows the journal and sends deliveries until ctx ends, then waits for the
// attempts in flight to finish and be recorded, and returns. Errors of the queue are
// logged and the round tried again after Poll.
func (d *Dispatcher) Run(ctx context.Context) {
	d.setDefaults()
	slots := make(chan struct{}, d.Workers)
	var inFlight sync.WaitGroup
	defer inFlight.Wait()
	for ctx.Err() == nil {
		d.follow(ctx)
		free := d.Workers - len(slots)
		claims, err := d.Queue.ClaimWebhookDeliveries(ctx, free, d.lease())
		if err != nil && ctx.Err() == nil {
			d.Log.Error("webhooks: claiming deliveries", "err", err)
		}
		for _, c := range claims {
			slots <- struct{}{}
			inFlight.Add(1)
			go func() {
				defer inFlight.Done()
				d.deliver(ctx, c)
				<-slots
				d.wake()
			}()
		}
		if free > 0 && len(claims) == free {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
		case <-d.wakeUp:
		case <-time.After(d.Poll):
		}
	}
}

func (d *Dispatcher) wake() {
	select {
	case d.wakeUp <- struct{}{}:
	default:
	}
}

// follow has the queue follow the journal until it has caught up (at most a few batches
// a round, so sending goes on during a long catch-up).
func (d *Dispatcher) follow(ctx context.Context) {
	for range 8 {
		n, err := d.Queue.FollowJournal(ctx, followBatch)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("webhooks: following the journal", "err", err)
		}
		if err != nil || n < followBatch {
			return
		}
	}
}

// deliver makes one attempt of the claimed delivery and records it. Neither the attempt
// nor its record is cut short when Run's context ends: a delivery sent is a delivery
// recorded, so a restart does not send it again.
func (d *Dispatcher) deliver(ctx context.Context, c ledger.WebhookClaim) {
	ctx = context.WithoutCancel(ctx)
	a := d.attempt(ctx, c)
	o := ledger.WebhookOutcome{Delivery: c.Payload.Delivery, Lease: c.Lease, Attempt: a, Delivered: a.Error == ""}
	if !o.Delivered {
		d.Log.Warn("webhooks: attempt failed", "webhook", c.Webhook, "delivery", c.Payload.Delivery,
			"event", c.Payload.Event, "attempt", c.Number, "status", a.Status, "reason", a.Error)
		if c.Number < d.Attempts {
			o.Next = d.Now().Add(d.backoff(c.Number))
		}
	}
	rctx, cancel := context.WithTimeout(ctx, d.Timeout+time.Minute)
	defer cancel()
	if err := d.Queue.RecordWebhookAttempt(rctx, o); err != nil {
		d.Log.Error("webhooks: recording an attempt", "delivery", c.Payload.Delivery, "err", err)
	}
}

// backoff returns the wait after failed attempt n (from 1): FirstWait doubled n-1 times,
// at most MaxWait, drawn from its upper half.
func (d *Dispatcher) backoff(n int) time.Duration {
	w := d.FirstWait
	for i := 1; i < n && w < d.MaxWait; i++ {
		w *= 2
	}
	w = min(w, d.MaxWait)
	return w/2 + rand.N(w/2+1)
}
