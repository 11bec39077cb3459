package batch

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progress reports long work: a redrawn bar on a terminal, a plain line every 10%
// otherwise (logs, CI).
type progress struct {
	w        io.Writer
	what     string
	total    int
	done     int
	start    time.Time
	tty      bool
	lastDraw time.Time
	lastTen  int
}

func newProgress(w io.Writer, what string, total int) *progress {
	p := &progress{w: w, what: what, total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

// add counts n more done and redraws at most ten times a second.
func (p *progress) add(n int) {
	p.done += n
	if p.tty {
		if time.Since(p.lastDraw) >= 100*time.Millisecond || p.done == p.total {
			p.lastDraw = time.Now()
			p.draw()
		}
		return
	}
	if p.total > 0 {
		if tenth := p.done * 10 / p.total; tenth > p.lastTen {
			p.lastTen = tenth
			fmt.Fprintf(p.w, "%s: %d/%d (%d%%), %.0f/s\n", p.what, p.done, p.total, p.done*100/p.total, p.rate())
		}
	}
}

func (p *progress) rate() float64 {
	s := time.Since(p.start).Seconds()
	if s <= 0 {
		return 0
	}
	return float64(p.done) / s
}

func (p *progress) draw() {
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = p.done * width / p.total
	}
	eta := "--"
	if r := p.rate(); r > 0 && p.total >= p.done {
		eta = time.Duration(float64(p.total-p.done) / r * float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d  %.0f/s  ETA %s ", p.what, strings.Repeat("=", filled),
		strings.Repeat(" ", width-filled), p.done, p.total, p.rate(), eta)
}

// finish ends the bar's line.
func (p *progress) finish() {
	if p.tty {
		p.draw()
		fmt.Fprintln(p.w)
	}
}
