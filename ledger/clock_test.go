package ledger_test

import (
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestClockHeight(t *testing.T) {
	genesis := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	c := ledger.Clock{Genesis: genesis, Interval: 16 * time.Second}
	tests := []struct {
		at   time.Duration
		want int64
	}{
		{-time.Hour, 0},
		{-time.Nanosecond, 0},
		{0, 0},
		{16*time.Second - time.Nanosecond, 0},
		{16 * time.Second, 1},
		{160 * time.Second, 10},
		{161 * time.Second, 10},
		{24 * time.Hour, 5400},
	}
	for _, tt := range tests {
		if got := c.Height(genesis.Add(tt.at)); got != tt.want {
			t.Errorf("Height(genesis%+v) = %d, want %d", tt.at, got, tt.want)
		}
	}
	if got := (ledger.Clock{Genesis: genesis}).Height(genesis.Add(time.Hour)); got != 0 {
		t.Errorf("Height with a zero interval = %d, want 0", got)
	}
}

func TestClockTimeOf(t *testing.T) {
	genesis := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	c := ledger.Clock{Genesis: genesis, Interval: 16 * time.Second}
	for _, h := range []int64{0, 1, 7, 5400} {
		at := c.TimeOf(h)
		if got := c.Height(at); got != h {
			t.Errorf("Height(TimeOf(%d)) = %d", h, got)
		}
		if got := c.Height(at.Add(-time.Nanosecond)); h > 0 && got != h-1 {
			t.Errorf("Height(TimeOf(%d) - 1ns) = %d, want %d", h, got, h-1)
		}
	}
}

func TestClockHeightAfter(t *testing.T) {
	c := ledger.Clock{Genesis: time.Unix(0, 0), Interval: 16 * time.Second}
	tests := []struct {
		h    int64
		d    time.Duration
		want int64
	}{
		{10, 0, 11},
		{10, -time.Hour, 11},
		{10, time.Second, 11},
		{10, 16 * time.Second, 11},
		{10, 17 * time.Second, 12},
		{10, 32 * time.Second, 12},
		{0, 2 * time.Hour, 450},
		{100, 2*time.Hour + time.Nanosecond, 551},
	}
	for _, tt := range tests {
		if got := c.HeightAfter(tt.h, tt.d); got != tt.want {
			t.Errorf("HeightAfter(%d, %v) = %d, want %d", tt.h, tt.d, got, tt.want)
		}
	}
	// The height it returns is reached at least d after height h began.
	for _, d := range []time.Duration{time.Second, time.Minute, 90 * time.Minute} {
		h := c.HeightAfter(3, d)
		if c.TimeOf(h).Sub(c.TimeOf(3)) < d {
			t.Errorf("HeightAfter(3, %v) = %d begins only %v after height 3", d, h, c.TimeOf(h).Sub(c.TimeOf(3)))
		}
	}
}
