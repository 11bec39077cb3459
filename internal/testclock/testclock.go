// Package testclock is the hand-moved clock the ledger's tests inject through
// sqlstore.Options.Now: safe for concurrent use, so servers under test may read it while
// the test moves it.
package testclock

import (
	"sync"
	"time"
)

// Start is where test clocks begin: a fixed instant, so runs repeat.
var Start = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// Clock is a clock the test moves by hand.
type Clock struct {
	mu       sync.Mutex
	t        time.Time
	interval time.Duration
}

// New returns a clock at t whose blocks last interval (for AdvanceBlocks).
func New(t time.Time, interval time.Duration) *Clock {
	return &Clock{t: t, interval: interval}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// AdvanceBlocks moves the clock on by n blocks.
func (c *Clock) AdvanceBlocks(n int) { c.Advance(time.Duration(n) * c.interval) }
