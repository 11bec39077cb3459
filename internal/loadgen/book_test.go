package loadgen

import (
	"math"
	"testing"
	"time"
)

// TestSeatBookOversell: a second 201 for a seat held and not being released is an
// oversell; one that arrives while the holder's release is under way is not; a release
// that fails while someone else was sold the seat is.
func TestSeatBookOversell(t *testing.T) {
	b := newSeatBook(3)
	for i := range 3 {
		b.free(i)
	}
	if n := b.sold([]int{0, 1}, 7); n != 0 {
		t.Fatalf("first sale of free seats: %d oversold", n)
	}
	if b.freeCount() != 1 {
		t.Errorf("%d free after selling two of three, want 1", b.freeCount())
	}
	if n := b.sold([]int{1}, 8); n != 1 {
		t.Errorf("seat 1 sold again while held: %d oversold, want 1", n)
	}
	b.markReleasing(0)
	if n := b.sold([]int{0}, 9); n != 0 {
		t.Errorf("seat 0 sold while its holder releases it: %d oversold, want 0", n)
	}
	if n := b.released(0, 7, true); n != 0 || b.holder[0] != 9 {
		t.Errorf("late release answer: %d oversold, holder %d; want 0 and 9", n, b.holder[0])
	}
	b.markReleasing(0)
	b.sold([]int{0}, 5)
	if n := b.released(0, 9, false); n != 1 {
		t.Errorf("a refused release while another was sold the seat: %d oversold, want 1", n)
	}
	b.markReleasing(2)
	if n := b.released(2, 4, true); n != 0 || b.freeCount() != 1 {
		t.Errorf("release of a free seat: %d oversold, %d free", n, b.freeCount())
	}
}

// TestHistogram: percentiles of 1..1000 ms come back within a bucket's width (about 6%).
func TestHistogram(t *testing.T) {
	var h histogram
	for ms := 1; ms <= 1000; ms++ {
		h.add(time.Duration(ms) * time.Millisecond)
	}
	p50, p99 := h.percentiles()
	for _, c := range []struct {
		got  time.Duration
		want float64
	}{{p50, 500}, {p99, 990}} {
		if ms := c.got.Seconds() * 1000; math.Abs(ms-c.want)/c.want > 0.07 {
			t.Errorf("percentile %.1f ms, want about %.0f", ms, c.want)
		}
	}
	if h.max() != time.Second {
		t.Errorf("max %v, want 1s", h.max())
	}
	var empty histogram
	if a, b := empty.percentiles(); a != 0 || b != 0 {
		t.Errorf("empty histogram percentiles %v %v", a, b)
	}
}
