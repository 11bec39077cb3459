package ledger

import (
	"strconv"
	"time"
)

// DefaultBlockInterval is the Cirrus block time.
const DefaultBlockInterval = 16 * time.Second

// Clock derives block heights from time: floor((now - genesis) / interval).
type Clock struct {
	Genesis  time.Time
	Interval time.Duration
}

// Height returns the block height at t (0 before genesis).
func (c Clock) Height(t time.Time) int64 {
	if c.Interval <= 0 || t.Before(c.Genesis) {
		return 0
	}
	return int64(t.Sub(c.Genesis) / c.Interval)
}

// TimeOf returns when block h begins.
func (c Clock) TimeOf(h int64) time.Time {
	return c.Genesis.Add(time.Duration(h) * c.Interval)
}

// HeightAfter returns the first height at least d after height h: what "ends in 2h" means.
func (c Clock) HeightAfter(h int64, d time.Duration) int64 {
	if c.Interval <= 0 {
		return h + 1
	}
	blocks := int64((d + c.Interval - 1) / c.Interval)
	if blocks < 1 {
		blocks = 1
	}
	return h + blocks
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
