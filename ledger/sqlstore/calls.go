package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var _ ledger.CallMeter = (*Calls)(nil)

// Calls counts the calls of partner keys on the command API against their limits
// (ledger.CallMeter), in the database, so that every server of one database shares a
// key's limits exactly: a key's counters are one row (table partner_calls), read and
// written under the database's lock on it.
//
// Counting each call in a transaction of its own would cost a commit a call. So, as the
// ledger's own writes are on SQLite (batch.go), one goroutine of each process counts
// together the calls waiting for it (those that arrived while it counted the previous
// ones): one transaction locks the counters of every key among them, judges the calls in
// the order they came, and writes the counters back. Each caller waits for its verdict,
// given only once the transaction has committed. The verdicts are those one transaction
// a call would give; calls judged in one batch share one reading of the clock.
//
// The windows are calendar minutes and days in UTC, read from the store's clock
// (Options.Now): a key's 81st call in a minute, at the default 80, is refused until the
// next minute begins, and RetryAfter says how long that is.
type Calls struct {
	*db
	queue   *queue[*meteredCall]
	started sync.Once
	done    chan struct{}
	// batches and counted are the transactions run and the calls judged in them.
	batches, counted atomic.Int64
}

// Batches returns how many transactions this store has run to count calls, and how many
// calls they judged (their mean is the batching the load gave).
func (c *Calls) Batches() (batches, calls int64) { return c.batches.Load(), c.counted.Load() }

// CallUsage is what a partner key has used of its limits: the calls allowed and refused
// in the current minute and the current day (UTC).
type CallUsage struct {
	MinuteCalls   int64 `json:"minuteCalls"`
	MinuteRefused int64 `json:"minuteRefused"`
	DayCalls      int64 `json:"dayCalls"`
	DayRefused    int64 `json:"dayRefused"`
}

// meteredCall is one call waiting for its verdict.
type meteredCall struct {
	key     int64
	grant   ledger.PartnerGrant
	verdict ledger.CallVerdict
	err     error
	done    chan struct{}
}

// maxMetered bounds the calls counted in one transaction.
const maxMetered = 512

func newCalls(d *db) *Calls {
	return &Calls{db: d, queue: newQueue[*meteredCall](maxMetered), done: make(chan struct{})}
}

// Meter counts one call of the key against the grant's limits: allowed, or refused with
// the limit and how long until it would be allowed (counted as a refusal, not a call).
func (c *Calls) Meter(ctx context.Context, keyID int64, g ledger.PartnerGrant) (ledger.CallVerdict, error) {
	c.started.Do(func() { go c.loop() })
	m := &meteredCall{key: keyID, grant: g, done: make(chan struct{})}
	if !c.queue.send(m) {
		return ledger.CallVerdict{}, ledger.Errorf(ledger.EINTERNAL, "counting a call: %v", errClosed)
	}
	<-m.done
	return m.verdict, m.err
}

// Usage returns what the key has used of its limits in the current minute and day.
func (c *Calls) Usage(ctx context.Context, keyID int64) (CallUsage, error) {
	k := callCounter{key: keyID}
	err := c.reader(ctx).row(`SELECT minute, minute_calls, minute_refused, day, day_calls, day_refused FROM partner_calls WHERE key_id = ?`, keyID).
		Scan(&k.minute, &k.minuteCalls, &k.minuteRefused, &k.day, &k.dayCalls, &k.dayRefused)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return CallUsage{}, c.internal("reading the key's calls", err)
	}
	k.roll(c.now())
	return CallUsage{MinuteCalls: k.minuteCalls, MinuteRefused: k.minuteRefused, DayCalls: k.dayCalls, DayRefused: k.dayRefused}, nil
}

// stop lets the waiting calls be counted and ends the loop, if it ever started.
func (c *Calls) stop() {
	c.queue.close()
	c.started.Do(func() { close(c.done) })
	<-c.done
}

// loop counts the waiting calls, batch by batch, until the queue closes.
func (c *Calls) loop() {
	defer close(c.done)
	for m := range c.queue.ch {
		batch := gather(c.queue.ch, m, maxMetered, maxYields)
		c.batches.Add(1)
		c.counted.Add(int64(len(batch)))
		var err error
		if err = c.count(batch); err != nil {
			err = c.internal("counting partners' calls", err)
		}
		for _, m := range batch {
			m.err = err
			close(m.done)
		}
	}
}

// callCounter is a key's row of partner_calls.
type callCounter struct {
	key                                int64
	minute, minuteCalls, minuteRefused int64
	day, dayCalls, dayRefused          int64
}

const secondsADay = 24 * 60 * 60

// roll moves the counter to the minute and day of now, when they are later than its own
// (a server whose clock is behind another's counts in the other's windows).
func (k *callCounter) roll(now time.Time) {
	if m := now.Unix() / 60; m > k.minute {
		k.minute, k.minuteCalls, k.minuteRefused = m, 0, 0
	}
	if d := now.Unix() / secondsADay; d > k.day {
		k.day, k.dayCalls, k.dayRefused = d, 0, 0
	}
}

// judge counts one call at now under the grant's limits and returns its verdict.
func (k *callCounter) judge(now time.Time, g ledger.PartnerGrant) ledger.CallVerdict {
	k.roll(now)
	perMinute, perDay := g.Limits()
	switch {
	case k.dayCalls >= int64(perDay):
		k.minuteRefused++
		k.dayRefused++
		return refusedUntil("day", time.Unix((k.day+1)*secondsADay, 0), now)
	case k.minuteCalls >= int64(perMinute):
		k.minuteRefused++
		k.dayRefused++
		return refusedUntil("minute", time.Unix((k.minute+1)*60, 0), now)
	}
	k.minuteCalls++
	k.dayCalls++
	return ledger.CallVerdict{Allowed: true}
}

// refusedUntil is the verdict of a call refused by the limit until its window ends.
func refusedUntil(limit string, end, now time.Time) ledger.CallVerdict {
	return ledger.CallVerdict{Limit: limit, RetryAfter: max(end.Sub(now), time.Millisecond)}
}
