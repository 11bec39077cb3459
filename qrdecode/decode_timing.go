package qrdecode

import (
	"math"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// The timing patterns, rows and columns of alternating modules that join the finder
// patterns, count the modules of a code directly. Read along a straight line they also
// measure the perspective: a straight line stays straight in a photograph, and how the
// modules shrink along it is the foreshortening. This file reads them.

// timingFit is what the two timing patterns tell: the code's dimension and the centres
// of their modules, paired with the finder centres.
type timingFit struct {
	dim int
	pts []correspondence
}

// timingReach is how far, in modules, the lines readTiming reads reach into the finder
// patterns at both ends: row 6 and column 6 are dark for the width of a finder, so the
// first and last runs stay whole when the ends are off by up to that much along the line.
const timingReach = 1.5

// readTiming reads the timing row (between the top finders) and column (between the
// left ones). Their ends are estimated from the finders' module sizes along the code's
// axes and may be off by a fraction of a module across the line under perspective, so
// each is read along three lines ending half a module apart. ok is false unless one reads
// as a regular alternation of a valid length; when both do they must agree.
func readTiming(m *gozxing.BitMatrix, t finderTriple, ax finderAxes) (timingFit, bool) {
	ux, uy := unit(t.tl, t.tr)
	vx, vy := unit(t.tl, t.bl)
	at := func(c [2]float64, su, sv, du, dv float64) (float64, float64) {
		return c[0] + du*su*ux + dv*sv*vx, c[1] + du*su*uy + dv*sv*vy
	}
	// Row 6 and column 6 run 3 modules from the finder centres; the timing patterns
	// start at module (6, 6), the top-left finder's inner corner.
	in := 3 - timingReach
	rowMS, colMS := math.Sqrt(ax.tlU*ax.trU), math.Sqrt(ax.tlV*ax.blV)
	rx0, ry0 := at(ax.tl, ax.tlU, ax.tlV, in, 3)
	cx0, cy0 := at(ax.tl, ax.tlU, ax.tlV, 3, in)
	var row, col [][2]float64
	for _, off := range []float64{0, 0.5, -0.5} {
		if row == nil {
			x1, y1 := at(ax.tr, ax.trU, ax.trV, -in, 3+off)
			row = timingRuns(m, rx0, ry0, x1, y1, rowMS)
		}
		if col == nil {
			x1, y1 := at(ax.bl, ax.blU, ax.blV, 3+off, -in)
			col = timingRuns(m, cx0, cy0, x1, y1, colMS)
		}
	}
	if row != nil && col != nil && len(row) != len(col) {
		return timingFit{}, false
	}
	n := max(len(row), len(col))
	if n == 0 {
		return timingFit{}, false
	}
	tf := timingFit{dim: n + 12, pts: finderPoints(t, n+12)}
	// The first and last runs reach into the finders: their centres are not modules'.
	for k := 1; k+1 < len(row); k++ {
		tf.pts = append(tf.pts, correspondence{6.5 + float64(k), 6.5, row[k][0], row[k][1]})
	}
	for k := 1; k+1 < len(col); k++ {
		tf.pts = append(tf.pts, correspondence{6.5, 6.5 + float64(k), col[k][0], col[k][1]})
	}
	return tf, true
}

func unit(a, b *detector.FinderPattern) (float64, float64) {
	dx, dy := b.GetX()-a.GetX(), b.GetY()-a.GetY()
	d := math.Hypot(dx, dy)
	return dx / d, dy / d
}

// timingRuns samples m every half pixel from (x0, y0) to (x1, y1) and returns the
// centres of its runs, or nil unless they alternate dark-light-...-dark, as many as a
// timing pattern of a valid dimension has, with no run much shorter or longer than a
// module (ms pixels, give or take the perspective).
func timingRuns(m *gozxing.BitMatrix, x0, y0, x1, y1, ms float64) [][2]float64 {
	n := int(2*math.Hypot(x1-x0, y1-y0)) + 1
	w, h := m.GetWidth(), m.GetHeight()
	var runs [][2]float64
	start, dark := 0, true
	for i := 0; i <= n; i++ {
		f := float64(i) / float64(n)
		x, y := x0+f*(x1-x0), y0+f*(y1-y0)
		xi, yi := int(math.Round(x)), int(math.Round(y))
		if xi < 0 || yi < 0 || xi >= w || yi >= h {
			return nil
		}
		v := m.Get(xi, yi)
		if i == 0 && !v {
			return nil
		}
		if v != dark || i == n {
			end := i
			if i == n && v == dark {
				end = n + 1
			}
			runs = append(runs, runCentre(x0, y0, x1, y1, start, end, n))
			if !runFits(end-start, ms, start == 0 || i == n) {
				return nil
			}
			start, dark = i, v
		}
	}
	if (len(runs)+12)%4 != 1 || len(runs) < 9 {
		return nil
	}
	return runs
}

// runCentre returns the pixel position of the middle of samples [start, end).
func runCentre(x0, y0, x1, y1 float64, start, end, n int) [2]float64 {
	f := (float64(start+end-1) / 2) / float64(n)
	return [2]float64{x0 + f*(x1-x0), y0 + f*(y1-y0)}
}

// runFits reports whether a run of the given number of half-pixel samples can be one
// module of about ms pixels; the runs at the ends (end) reach into the finder patterns
// by up to timingReach modules more.
func runFits(samples int, ms float64, end bool) bool {
	px := float64(samples) / 2
	if end {
		return px <= (2.5+timingReach)*ms
	}
	return px >= 0.3*ms && px <= 2.5*ms
}
