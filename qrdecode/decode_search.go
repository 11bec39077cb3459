package qrdecode

import (
	"image"
	"math"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// Search sizes, in pixels.
const (
	// coarseSide: images longer than this are first searched downscaled, where a code
	// that fills a good part of the frame is found at a fraction of the cost.
	coarseSide = 1000
	// workPixels: the heavier attempts (other binarizers, filters) run on the finest
	// level of the pyramid with at most this many pixels.
	workPixels = 2_500_000
	// upscalePixels: the most pixels an enlarged image or crop may have.
	upscalePixels = 4_000_000
	// enlargeWhole: images up to this many pixels are enlarged whole; larger ones only
	// around finder pattern candidates.
	enlargeWhole = 400_000
	// smallModule: finder candidates with modules up to this size are enlarged.
	smallModule = 3.2
)

// search holds the state of one decode: the pyramid of the image and the reader.
type search struct {
	r      *reader
	levels []*luma // levels[0] is full resolution, each next one half the size
	work   *luma   // the level the heavier attempts run on
}

// step is one decode attempt of the search.
type step struct {
	name string
	run  func(s *search) (string, bool)
}

// steps are the attempts in the order tried: cheapest and most often successful first,
// so that a plain frame costs one binarization, and the remedies for hard images (each
// run only when the image shows the trouble it remedies) after.
var steps = []step{
	{"coarse", (*search).coarse},
	{"hybrid", func(s *search) (string, bool) { return s.r.try(s.work, hybrid, true) }},
	{"global", func(s *search) (string, bool) { return s.r.try(s.work, global, true) }},
	{"stretch", (*search).stretched},
	{"adaptive", func(s *search) (string, bool) { return s.r.try(s.work, adaptive, true) }},
	{"denoise", (*search).denoised},
	{"enlarge", (*search).enlarged},
}

// decodeLuminance runs the decode attempts on a luminance image and returns the first
// text decoded.
func decodeLuminance(l *luma) (string, error) {
	text, _, err := searchCode(l)
	return text, err
}

// searchCode is decodeLuminance that also names the step that decoded.
func searchCode(l *luma) (string, string, error) {
	s := &search{r: newReader(), levels: pyramid(l)}
	s.work = s.workLevel()
	for _, st := range steps {
		if text, ok := st.run(s); ok {
			return text, st.name, nil
		}
	}
	return "", "", newError(ErrNoCode, "%s", s.r.reason(l))
}

// pyramid returns l and its halvings down to the first not longer than coarseSide.
func pyramid(l *luma) []*luma {
	levels := []*luma{l}
	for top := l; max(top.w, top.h) > coarseSide && min(top.w, top.h) >= 64; {
		top = downscale(top, 2)
		levels = append(levels, top)
	}
	return levels
}

// workLevel is the finest level small enough for the heavier attempts.
func (s *search) workLevel() *luma {
	for _, l := range s.levels {
		if l.w*l.h <= workPixels {
			return l
		}
	}
	return s.levels[len(s.levels)-1]
}

// coarse tries the cheapest attempt on every level coarser than the working one,
// smallest first.
func (s *search) coarse() (string, bool) {
	for i := len(s.levels) - 1; i >= 1 && s.levels[i] != s.work; i-- {
		if text, ok := s.r.try(s.levels[i], hybrid, true); ok {
			return text, true
		}
	}
	return "", false
}

// stretched retries a low-contrast image with its contrast stretched.
func (s *search) stretched() (string, bool) {
	lo, hi := spread(s.work)
	if hi-lo > 100 {
		return "", false
	}
	l := stretch(s.work)
	if l == nil {
		return "", false
	}
	return s.r.try(l, hybrid, true)
}

// denoised retries a noisy image after a 3x3 box blur.
func (s *search) denoised() (string, bool) {
	if noiseLevel(s.work) < 6 {
		return "", false
	}
	return s.r.try(boxBlur(s.work, 1), hybrid, true)
}

// enlarged enlarges the regions around small finder pattern candidates and of busy
// texture (or the whole working level when it is small) two or three times and tries
// again: codes of two or three pixels per module need the room.
func (s *search) enlarged() (string, bool) {
	l := s.work
	var regions []image.Rectangle
	if l.w*l.h <= enlargeWhole {
		regions = []image.Rectangle{image.Rect(0, 0, l.w, l.h)}
	} else {
		regions = s.candidateRegions(l)
		for _, r := range textureRegions(l) {
			regions = mergeRegion(regions, r)
		}
	}
	for _, r := range regions {
		up := s.enlarge(r)
		if up == nil {
			continue
		}
		for _, kind := range []binarizerKind{hybrid, global} {
			if text, ok := s.r.try(up, kind, kind == hybrid); ok {
				return text, true
			}
		}
	}
	return "", false
}

// enlarge returns region r of the working level enlarged three times (twice when that
// would be too large). When the working level is a reduction of the image, the region
// is cut from the full-resolution image instead, enlarged only as far as still needed.
// It returns nil for regions too large to enlarge.
func (s *search) enlarge(r image.Rectangle) *luma {
	full := s.levels[0]
	sc := full.w / s.work.w
	c := crop(full, image.Rect(r.Min.X*sc, r.Min.Y*sc, r.Max.X*sc, r.Max.Y*sc))
	f := 3
	if c.w*c.h*9/(sc*sc) > upscalePixels {
		f = 2
	}
	extra := max(1, (f+sc-1)/sc)
	if c.w*c.h*extra*extra > upscalePixels {
		return nil
	}
	if extra == 1 {
		return c
	}
	return upscale(c, extra)
}

// candidateRegions returns boxes around pairs of small-module finder pattern candidates
// that gozxing saw in l when the hybrid step binarized it and that could be two corners of one code, each box grown to
// hold the third corner. A lone candidate is not enlarged: clutter makes many.
func (s *search) candidateRegions(l *luma) []image.Rectangle {
	centers, ok := s.r.hybridCenters[l]
	if !ok {
		s.r.try(l, hybrid, false)
		centers = s.r.hybridCenters[l]
	}
	var small []*detector.FinderPattern
	for _, c := range centers {
		if c.GetEstimatedModuleSize() <= smallModule {
			small = append(small, c)
		}
	}
	var out []image.Rectangle
	for i, a := range small {
		for _, b := range small[i+1:] {
			if r, ok := pairRegion(a, b); ok {
				out = mergeRegion(out, r.Intersect(image.Rect(0, 0, l.w, l.h)))
			}
		}
	}
	return out[:min(len(out), 3)]
}

// pairRegion returns the box that holds any code of which a and b are two finder
// patterns; ok is false when their module sizes or distance rule that out.
func pairRegion(a, b *detector.FinderPattern) (image.Rectangle, bool) {
	ma, mb := a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize()
	ms := (ma + mb) / 2
	d := math.Hypot(a.GetX()-b.GetX(), a.GetY()-b.GetY())
	if math.Max(ma, mb) > 1.6*math.Min(ma, mb) || d < 12*ms || d > 250*ms {
		return image.Rectangle{}, false
	}
	grow := int(d + 6*ms)
	r := image.Rect(int(math.Min(a.GetX(), b.GetX())), int(math.Min(a.GetY(), b.GetY())),
		int(math.Max(a.GetX(), b.GetX()))+1, int(math.Max(a.GetY(), b.GetY()))+1)
	return r.Inset(-grow), true
}

// mergeRegion adds r to the boxes, merging it with the first it overlaps.
func mergeRegion(boxes []image.Rectangle, r image.Rectangle) []image.Rectangle {
	if r.Empty() {
		return boxes
	}
	for i := range boxes {
		if boxes[i].Overlaps(r) {
			boxes[i] = boxes[i].Union(r)
			return boxes
		}
	}
	return append(boxes, r)
}
