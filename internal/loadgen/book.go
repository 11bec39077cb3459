package loadgen

import (
	"context"
	"fmt"
	"io"
	"math/bits"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// seatBook is what the load test's clients were told about each seat, kept as answers
// come back: free, held by a client, or being released by its holder. Clients buy only
// seats the book has free, so two 201s for one seat with no release between them is an
// oversell, caught the moment the second arrives.
type seatBook struct {
	mu        sync.Mutex
	holder    []int // notOurs, free, or the client holding it
	releasing []bool
	pool      []int // free seats
	pos       []int // each seat's place in pool, or -1
}

const (
	notOurs = -2 // sold before the run, or not for sale
	free    = -1
)

func newSeatBook(n int) *seatBook {
	b := &seatBook{holder: make([]int, n), releasing: make([]bool, n), pos: make([]int, n)}
	for i := range n {
		b.holder[i], b.pos[i] = notOurs, -1
	}
	return b
}

// free puts seat i in the pool (the caller holds mu, or the book is not shared yet).
func (b *seatBook) free(i int) {
	b.holder[i] = free
	b.pos[i] = len(b.pool)
	b.pool = append(b.pool, i)
}

// take removes seat i from the pool (the caller holds mu).
func (b *seatBook) take(i int) {
	p := b.pos[i]
	if p < 0 {
		return
	}
	last := b.pool[len(b.pool)-1]
	b.pool[p], b.pos[last] = last, p
	b.pool = b.pool[:len(b.pool)-1]
	b.pos[i] = -1
}

func (b *seatBook) freeCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pool)
}

// pick returns up to k distinct free seats at random. They stay free in the book until a
// 201 says otherwise, so clients race for them as real buyers do.
func (b *seatBook) pick(rng *mrand.Rand, k int) []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	k = min(k, len(b.pool))
	out := make([]int, 0, k)
	for len(out) < k {
		i := b.pool[rng.IntN(len(b.pool))]
		if !hasSeat(out, i) {
			out = append(out, i)
		}
	}
	return out
}

func hasSeat(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// sold records a 201 for the seats to client c and returns how many of them another
// client held at that moment without releasing them.
func (b *seatBook) sold(seats []int, c int) (oversold int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, i := range seats {
		if h := b.holder[i]; h >= 0 && h != c && !b.releasing[i] {
			oversold++
		}
		b.take(i)
		b.holder[i] = c
	}
	return oversold
}

// releasing marks seat i as being released by its holder: a 201 for someone else may
// arrive before the holder hears back.
func (b *seatBook) markReleasing(i int) {
	b.mu.Lock()
	b.releasing[i] = true
	b.mu.Unlock()
}

// released records the answer to client c's release of seat i and returns 1 when the
// release failed although another client was sold the seat meanwhile.
func (b *seatBook) released(i, c int, ok bool) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.releasing[i] = false
	switch {
	case ok && b.holder[i] == c:
		b.free(i)
	case !ok && b.holder[i] != c:
		return 1
	}
	return 0
}

// reconcile compares the book with the ledger's ticket list after the run: every seat
// the book gives a client is that client's in the ledger, and no seat the book has free
// belongs to a client of this run.
func (r *rush) reconcile(ctx context.Context, rep *Report) error {
	tickets, err := r.ledger.Tickets(ctx, r.o.Contract)
	if err != nil {
		return err
	}
	if len(tickets) != len(r.seats) {
		return ledger.Errorf(ledger.ECONFLICT, "the contract's seats changed during the run")
	}
	ours := map[string]bool{}
	r.holders.Range(func(_, a any) bool {
		ours[a.(string)] = true
		return true
	})
	b := r.book
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, t := range tickets {
		rep.SeatsChecked++
		h := b.holder[i]
		want, _ := r.holders.Load(h)
		switch {
		case h >= 0 && t.Address != want:
			rep.Mismatched++
		case h < 0 && ours[t.Address]:
			rep.Mismatched++
		}
	}
	return nil
}

// loadStats counts what the clients saw.
type loadStats struct {
	reserved, seats, released, refused, failed, oversold atomic.Int64
	latency, releaseLatency                              histogram
	mu                                                   sync.Mutex
	statuses                                             map[int]int64
}

func newLoadStats() *loadStats { return &loadStats{statuses: map[int]int64{}} }

func (s *loadStats) reservation(d time.Duration, status, seats int) {
	s.count(status)
	if status == http.StatusCreated {
		s.reserved.Add(1)
		s.seats.Add(int64(seats))
		s.latency.add(d)
	}
}

func (s *loadStats) release(d time.Duration, status int) {
	s.count(status)
	if status == http.StatusCreated {
		s.released.Add(1)
		s.releaseLatency.add(d)
	}
}

func (s *loadStats) count(status int) {
	switch {
	case status == 0:
		s.failed.Add(1)
	case status != http.StatusCreated:
		s.refused.Add(1)
	}
	s.mu.Lock()
	s.statuses[status]++
	s.mu.Unlock()
}

// Report is the outcome of a load test, as `ticketbooth loadtest --json` prints it.
type Report struct {
	Servers         []string         `json:"servers"`
	Clients         int              `json:"clients"`
	Seconds         float64          `json:"seconds"`
	Reservations    int64            `json:"reservations"`
	SeatsReserved   int64            `json:"seatsReserved"`
	PerSecond       float64          `json:"reservationsPerSecond"`
	P50ms           float64          `json:"p50ms"`
	P99ms           float64          `json:"p99ms"`
	MaxMs           float64          `json:"maxMs"`
	Releases        int64            `json:"releases"`
	Statuses        map[string]int64 `json:"statuses"` // answers by HTTP status; "0" is no answer
	TransportErrors int64            `json:"transportErrors"`
	Oversold        int64            `json:"oversold"`
	Mismatched      int64            `json:"mismatched"` // seats where ledger and answers disagree after the run
	SeatsChecked    int              `json:"seatsChecked"`
}

func (s *loadStats) report(r *rush, elapsed time.Duration) Report {
	p50, p99 := s.latency.percentiles()
	rep := Report{Servers: r.o.Servers, Clients: r.o.Clients, Seconds: elapsed.Seconds(),
		Reservations: s.reserved.Load(), SeatsReserved: s.seats.Load(), Releases: s.released.Load(),
		P50ms: p50.Seconds() * 1000, P99ms: p99.Seconds() * 1000, MaxMs: s.latency.max().Seconds() * 1000,
		TransportErrors: s.failed.Load(), Oversold: s.oversold.Load(), Statuses: map[string]int64{}}
	rep.PerSecond = float64(rep.Reservations) / elapsed.Seconds()
	s.mu.Lock()
	for status, n := range s.statuses {
		rep.Statuses[strconv.Itoa(status)] = n
	}
	s.mu.Unlock()
	return rep
}

// Text writes the report for people, one figure a line.
func (rep Report) Text(w io.Writer) {
	fmt.Fprintf(w, "%d clients on %s for %.1fs\n", rep.Clients, strings.Join(rep.Servers, ", "), rep.Seconds)
	fmt.Fprintf(w, "reservations  %d (%d seats): %.0f/s\n", rep.Reservations, rep.SeatsReserved, rep.PerSecond)
	fmt.Fprintf(w, "latency       p50 %.1f ms  p99 %.1f ms  max %.1f ms\n", rep.P50ms, rep.P99ms, rep.MaxMs)
	fmt.Fprintf(w, "releases      %d\n", rep.Releases)
	var codes []string
	for code := range rep.Statuses {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		what := http.StatusText(atoi(code))
		if code == "0" {
			what = "no answer"
		}
		fmt.Fprintf(w, "status %s     %d (%s)\n", code, rep.Statuses[code], what)
	}
	fmt.Fprintf(w, "oversold      %d\n", rep.Oversold)
	fmt.Fprintf(w, "ledger check  %d seats, %d not as the buyers were told\n", rep.SeatsChecked, rep.Mismatched)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", d.Seconds()*1000) }

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// histogram counts durations in microseconds in log-linear buckets (16 per power of two,
// about 6% wide), safe for concurrent use.
type histogram struct {
	counts [16 + 16*48]atomic.Int64
	most   atomic.Int64
}

func bucketOf(us uint64) int {
	if us < 16 {
		return int(us)
	}
	e := bits.Len64(us) - 5
	return 16 + e*16 + int(us>>e) - 16
}

// valueOf returns the middle of a bucket, in microseconds.
func valueOf(b int) uint64 {
	if b < 16 {
		return uint64(b)
	}
	e := (b - 16) / 16
	m := uint64((b-16)%16 + 16)
	return m<<e + (uint64(1)<<e)/2
}

func (h *histogram) add(d time.Duration) {
	us := uint64(max(d.Microseconds(), 0))
	h.counts[min(bucketOf(us), len(h.counts)-1)].Add(1)
	for {
		old := h.most.Load()
		if int64(us) <= old || h.most.CompareAndSwap(old, int64(us)) {
			return
		}
	}
}

func (h *histogram) max() time.Duration { return time.Duration(h.most.Load()) * time.Microsecond }

// percentiles returns the durations below which half and 99% of the samples lie.
func (h *histogram) percentiles() (p50, p99 time.Duration) {
	ps := []float64{0.50, 0.99}
	var counts [len(h.counts)]int64
	var total int64
	for i := range counts {
		counts[i] = h.counts[i].Load()
		total += counts[i]
	}
	out := make([]time.Duration, len(ps))
	for k, p := range ps {
		want, seen := int64(p*float64(total)+0.5), int64(0)
		for i, n := range counts {
			seen += n
			if seen >= want && n > 0 {
				out[k] = time.Duration(valueOf(i)) * time.Microsecond
				break
			}
		}
	}
	return out[0], out[1]
}
