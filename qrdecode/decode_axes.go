package qrdecode

import (
	"math"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// gozxing estimates one module size per finder pattern, from its horizontal and vertical
// runs. A code seen at an angle has modules of different sizes along its two axes, and
// the code's axes are not the image's: the offsets and distances computed from that one
// size miss the timing patterns and miscount the dimension. This file measures each
// finder along the code's own axes instead: the line through two finder centres is a
// line of the code (row or column 3), and the finder's rings cross it 7 modules apart.

// finderAxes are the module sizes in pixels of a triple's finders along the top row's
// direction (u, top-left to top-right) and the left column's (v, top-left to
// bottom-left), and the finders' centres, moved to the middle of their rings along both.
type finderAxes struct {
	tlU, tlV, trU, trV, blU, blV float64
	tl, tr, bl                   [2]float64
}

// measureAxes measures the three finders of t along both axes, keeping gozxing's
// estimates where a measurement fails.
func measureAxes(m *gozxing.BitMatrix, t finderTriple) finderAxes {
	ux, uy := unit(t.tl, t.tr)
	vx, vy := unit(t.tl, t.bl)
	var ax finderAxes
	ax.tl, ax.tlU, ax.tlV = measureFinder(m, t.tl, ux, uy, vx, vy)
	ax.tr, ax.trU, ax.trV = measureFinder(m, t.tr, ux, uy, vx, vy)
	ax.bl, ax.blU, ax.blV = measureFinder(m, t.bl, ux, uy, vx, vy)
	return ax
}

// measureFinder measures finder f along the unit directions u and v: its module sizes
// along each, and its centre moved to the middle of its rings along u, then along v.
func measureFinder(m *gozxing.BitMatrix, f *detector.FinderPattern, ux, uy, vx, vy float64) ([2]float64, float64, float64) {
	c := [2]float64{f.GetX(), f.GetY()}
	ms := f.GetEstimatedModuleSize()
	along := func(dx, dy float64) float64 {
		a, b, ok := ringSpan(m, c[0], c[1], dx, dy, ms)
		if !ok {
			return ms
		}
		c[0], c[1] = c[0]+dx*(a-b)/2, c[1]+dy*(a-b)/2
		return (a + b) / 7
	}
	su := along(ux, uy)
	sv := along(vx, vy)
	return c, su, sv
}

// ringSpan returns how far from (x, y) the outer dark ring of the finder pattern
// centred near there ends along the unit direction (dx, dy), and how far along the
// opposite direction. ok is false unless both sides show the rings within reach and
// their sum is within a factor of two of 7 modules of ms pixels.
func ringSpan(m *gozxing.BitMatrix, x, y, dx, dy, ms float64) (float64, float64, bool) {
	a, okA := ringEdge(m, x, y, dx, dy, ms)
	b, okB := ringEdge(m, x, y, -dx, -dy, ms)
	w := a + b
	return a, b, okA && okB && w > 3.5*ms && w < 14*ms
}

// ringEdge walks from a finder's centre along (dx, dy) in half-pixel steps and returns
// the distance at which the outer dark ring ends: the end of the third run (dark centre,
// light ring, dark ring), not counting runs shorter than a quarter module, which are
// noise. ok is false when the centre is light or the ring does not end within 6 modules.
func ringEdge(m *gozxing.BitMatrix, x, y, dx, dy, ms float64) (float64, bool) {
	w, h := m.GetWidth(), m.GetHeight()
	minRun := math.Max(1, ms/4)
	runs, colour := 0, true
	pending := -1.0 // where a change of colour began, until it lasts minRun
	for s := 0.0; s <= 6*ms; s += 0.5 {
		px, py := int(math.Round(x+s*dx)), int(math.Round(y+s*dy))
		if px < 0 || py < 0 || px >= w || py >= h {
			return 0, false
		}
		v := m.Get(px, py)
		switch {
		case s == 0 && !v:
			return 0, false
		case v == colour:
			pending = -1
		case pending < 0:
			pending = s
		case s-pending >= minRun:
			runs++
			if runs == 3 {
				return pending - 0.25, true
			}
			colour, pending = v, -1
		}
	}
	return 0, false
}
