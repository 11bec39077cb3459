package qrdecode

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// trapPPM is the module size, in pixels, of the clean renders TestDecodeFalseFinder
// searches for codes that stop gozxing's finder scan early.
const trapPPM = 4

// gozxingAlone reports whether gozxing's own finder, detector and decoder read the
// hybrid-binarized l, and returns the finder pattern candidates it saw.
func gozxingAlone(l *luma) (bool, []*detector.FinderPattern) {
	r := newReader()
	m := r.blackMatrix(l, hybrid)
	f := detector.NewFinderPatternFinder(m, nil)
	info, err := f.Find(r.hints)
	if err != nil {
		return false, f.GetPossibleCenters()
	}
	det, e := detector.NewDetector(m).ProcessFinderPatternInfo(info)
	if e != nil {
		return false, f.GetPossibleCenters()
	}
	_, e = decoder.NewDecoder().Decode(det.GetBits(), r.hints)
	return e == nil, f.GetPossibleCenters()
}

// finderCentres returns the pixel centres of the three finder patterns of a code of dim
// modules rendered by cropped with no pose at ppm pixels per module.
func finderCentres(dim int, ppm float64) [3][2]float64 {
	at := func(u float64) float64 { return 2*ppm + (4+u)*ppm } // pad, quiet zone, module
	near, far := at(3.5), at(float64(dim)-3.5)
	return [3][2]float64{{near, near}, {far, near}, {near, far}}
}

// holdsCentre reports whether a candidate lies within a module of (x, y).
func holdsCentre(cands []*detector.FinderPattern, x, y, ppm float64) bool {
	for _, c := range cands {
		if math.Hypot(c.GetX()-x, c.GetY()-y) < ppm {
			return true
		}
	}
	return false
}

// TestDecodeFalseFinder: a patch of data modules sometimes passes every check of a
// finder pattern, and gozxing's scan stops at it before it reaches the real third finder.
// The test searches for such codes among ticket payloads, checks that gozxing alone
// misses a real finder and fails on them, that allCenters sees all three, and that
// Decode reads them clean, slightly rotated and as JPEG.
func TestDecodeFalseFinder(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	traps, tried := 0, 0
	for ; traps < 6 && tried < 600; tried++ {
		text := ticketPayload(t, rng, 1+rng.IntN(4))
		bits := qrBits(t, text)
		img := cropped(sheet(bits), trapPPM, pose{}, 235).gray()
		ok, cands := gozxingAlone(luminanceOf(img))
		if ok {
			continue
		}
		traps++
		checkFinders(t, img, cands, len(bits))
		checkTrapDecodes(t, rng, text, bits)
	}
	t.Logf("%d of %d payloads stop gozxing's finder scan early", traps, tried)
	if traps < 6 {
		t.Fatalf("only %d codes among %d payloads that gozxing alone cannot read, want 6", traps, tried)
	}
}

// checkFinders checks that gozxing's candidates miss one of the real finder patterns
// and that allCenters finds them all.
func checkFinders(t *testing.T, img *image.Gray, cands []*detector.FinderPattern, dim int) {
	t.Helper()
	all := allCenters(newReader().blackMatrix(luminanceOf(img), hybrid))
	missed := 0
	for _, c := range finderCentres(dim, trapPPM) {
		if !holdsCentre(cands, c[0], c[1], trapPPM) {
			missed++
		}
		if !holdsCentre(all, c[0], c[1], trapPPM) {
			t.Errorf("allCenters missed the finder at (%.0f, %.0f) of a %d-module code", c[0], c[1], dim)
		}
	}
	if missed == 0 {
		t.Errorf("gozxing saw all three finders of a %d-module code it could not read: "+
			"the code fails for another reason than an early stop", dim)
	}
}

// checkTrapDecodes decodes a code that fools gozxing's finder scan as it is printed and
// as a straight-on phone photo sees it.
func checkTrapDecodes(t *testing.T, rng *rand.Rand, text string, bits [][]bool) {
	t.Helper()
	rotated := cropped(sheet(bits), 5, pose{rotate: signed(rng, 0.5, 3)}, 235)
	rotated.blur(0.6)
	images := map[string]image.Image{
		"clean":   cropped(sheet(bits), trapPPM, pose{}, 235).gray(),
		"clean8":  cropped(sheet(bits), 8, pose{}, 235).gray(),
		"rotated": rotated.gray(),
		"jpeg":    jpegRoundTrip(t, cropped(sheet(bits), 6, pose{}, 235).gray()),
	}
	for name, img := range images {
		if got, err := Decode(img); err != nil || got != text {
			t.Errorf("%s code of %d modules: got %.40q, %v; want %.40q", name, len(bits), got, err, text)
		}
	}
}
