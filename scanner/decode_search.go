package scanner

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
)

// search holds the state of one decode: the pyramid of the image and the reader.
type search struct {
	r      *reader
	levels []*luma // levels[0] is full resolution, each next one half the size
}

// decodeLuminance runs the decode attempts on a luminance image, cheapest first, and
// returns the first text decoded.
func decodeLuminance(l *luma) (string, error) {
	s := &search{r: newReader(), levels: pyramid(l)}
	for _, step := range []func() (string, bool){s.coarse, s.work, s.crops} {
		if text, ok := step(); ok {
			return text, nil
		}
	}
	return "", newScanError(ErrNoCode, "%s", s.r.reason(l))
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

// coarse tries the cheapest attempt on every level, smallest first.
func (s *search) coarse() (string, bool) {
	for i := len(s.levels) - 1; i >= 1; i-- {
		if text, ok := s.r.try(s.levels[i], hybrid, true); ok {
			return text, true
		}
	}
	return "", false
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

// work runs the attempts on the working level: gozxing's two binarizers, contrast
// stretching for low contrast, the adaptive binarizer for uneven light, a blur for noise.
func (s *search) work() (string, bool) {
	l := s.workLevel()
	attempts := []func() (string, bool){
		func() (string, bool) { return s.r.try(l, hybrid, true) },
		func() (string, bool) { return s.r.try(l, global, true) },
		func() (string, bool) { return s.tryFiltered(stretch(l), hybrid) },
		func() (string, bool) { return s.r.try(l, adaptive, true) },
		func() (string, bool) { return s.tryFiltered(boxBlur(l, 1), hybrid) },
	}
	for _, a := range attempts {
		if text, ok := a(); ok {
			return text, true
		}
	}
	return "", false
}

func (s *search) tryFiltered(l *luma, kind binarizerKind) (string, bool) {
	if l == nil {
		return "", false
	}
	return s.r.try(l, kind, true)
}

// crops enlarges the regions around finder pattern candidates (or the whole working
// level when it is small) two or three times and tries again: codes of two or three
// pixels per module need the room.
func (s *search) crops() (string, bool) {
	l := s.workLevel()
	regions := s.candidateRegions(l)
	if l.w*l.h*4 <= upscalePixels {
		regions = []image.Rectangle{image.Rect(0, 0, l.w, l.h)}
	}
	for _, r := range regions {
		c := crop(l, r)
		f := 3
		if c.w*c.h*9 > upscalePixels {
			f = 2
		}
		if c.w*c.h*f*f > upscalePixels {
			continue
		}
		up := upscale(c, f)
		for _, kind := range []binarizerKind{hybrid, global} {
			if text, ok := s.r.try(up, kind, true); ok {
				return text, true
			}
		}
	}
	return "", false
}

// candidateRegions returns boxes around the finder pattern candidates gozxing sees in
// l, each grown to hold any code the candidate may belong to.
func (s *search) candidateRegions(l *luma) []image.Rectangle {
	m := s.r.blackMatrix(l, hybrid)
	if m == nil {
		return nil
	}
	var centers []*detector.FinderPattern
	s.r.guard(func() {
		f := detector.NewFinderPatternFinder(m, nil)
		_, _ = f.Find(s.r.hints)
		centers = f.GetPossibleCenters()
	})
	return mergeRegions(centers, l.w, l.h)
}

// mergeRegions grows each centre by the size of the largest code of its module size
// and merges overlapping boxes, largest support first; at most four regions.
func mergeRegions(centers []*detector.FinderPattern, w, h int) []image.Rectangle {
	var out []image.Rectangle
	for _, c := range centers {
		reach := int(math.Ceil(c.GetEstimatedModuleSize() * 100))
		r := image.Rect(int(c.GetX())-reach, int(c.GetY())-reach, int(c.GetX())+reach, int(c.GetY())+reach)
		r = r.Intersect(image.Rect(0, 0, w, h))
		merged := false
		for i := range out {
			if out[i].Overlaps(r) {
				out[i], merged = out[i].Union(r), true
				break
			}
		}
		if !merged && !r.Empty() {
			out = append(out, r)
		}
	}
	if len(out) > 4 {
		out = out[:4]
	}
	return out
}
