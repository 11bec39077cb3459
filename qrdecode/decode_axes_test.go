package qrdecode

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// TestDecodeSteepPerspective decodes codes photographed 25 to 35 degrees off square,
// whose modules differ in size by half or more between corners, and checks the second
// pass's estimates on the real finder patterns: the dimension from the finders' module
// sizes along the code's axes, and the dimension the timing patterns count.
func TestDecodeSteepPerspective(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for i := range 10 {
		text := ticketPayload(t, rng, 1+i%4)
		art := sheet(qrBits(t, text))
		p := pose{rotate: signed(rng, 0, 30), tiltX: signed(rng, 25, 35), tilty: signed(rng, 20, 30)}
		c, p := croppedPose(art, between(rng, 4, 6), p, 120)
		c.blur(0.6)
		img := c.gray()
		dim := len(art.bits)
		if got, err := Decode(img); err != nil || got != text {
			t.Errorf("code %d of %d modules at %+v: got %.40q, %v; want %.40q", i, dim, p, got, err, text)
		}
		m := newReader().blackMatrix(luminanceOf(img), hybrid)
		tr, ok := realTriple(allCenters(m), art, p)
		if !ok {
			t.Errorf("code %d: the finder patterns are not among the candidates", i)
			continue
		}
		ax := measureAxes(m, tr)
		if dims := dimensionCandidates(tr, ax); dims[0] != dim {
			t.Errorf("code %d: dimension candidates %v for %d modules (module sizes %+v)", i, dims, dim, ax)
		}
		if tf, ok := readTiming(m, tr, ax); !ok || tf.dim != dim {
			t.Errorf("code %d: timing patterns read %v, %d modules; want %d", i, ok, tf.dim, dim)
		}
	}
}

// realTriple returns the candidates nearest to where the finder patterns of the sheet
// drawn at pose p are, in code order; ok is false unless each is within two modules.
func realTriple(cands []*detector.FinderPattern, art ticketArt, p pose) (finderTriple, bool) {
	side := art.side()
	h := homographyFromQuads([4]pt{{0, 0}, {side, 0}, {side, side}, {0, side}}, p.corners())
	near, far := art.margin+3.5, art.margin+float64(len(art.bits))-3.5
	var found [3]*detector.FinderPattern
	for i, at := range []pt{{near, near}, {far, near}, {near, far}} {
		c := h.apply(at)
		next := h.apply(pt{at.x + 1, at.y})
		best := 2 * math.Hypot(next.x-c.x, next.y-c.y) // two modules
		for _, f := range cands {
			if d := math.Hypot(f.GetX()-c.x, f.GetY()-c.y); d < best {
				found[i], best = f, d
			}
		}
		if found[i] == nil {
			return finderTriple{}, false
		}
	}
	return finderTriple{tl: found[0], tr: found[1], bl: found[2]}, true
}
