package qrdecode

import (
	"errors"
	"fmt"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// binarizerKind names a way of turning luminance into black and white modules.
type binarizerKind int

const (
	// hybrid is gozxing's HybridBinarizer: a threshold per 8x8 block from its 5x5
	// neighbourhood; the best general choice.
	hybrid binarizerKind = iota
	// global is gozxing's GlobalHistogramBinarizer: one threshold per row from the
	// histogram; better on blurred codes, whose blocks have little local range.
	global
	// adaptive is this package's mean-of-window threshold (see adaptiveMatrix): robust to
	// uneven light and low contrast.
	adaptive
)

func (k binarizerKind) String() string {
	return [...]string{"hybrid", "global", "adaptive"}[k]
}

// failure ranks why an attempt failed: a code seen but unreadable beats nothing seen.
type failure int

const (
	failNone     failure = iota
	failNotFound         // no finder patterns
	failUnread           // finder patterns found, but the modules did not decode
)

// reader runs gozxing attempts over one image and remembers how they failed.
type reader struct {
	decoder  *decoder.Decoder
	hints    map[gozxing.DecodeHintType]any
	attempts int
	worst    failure
	// finders is the most finder patterns (seen on two scan lines at least) an attempt
	// found.
	finders int
	// centers are the finder pattern candidates of the last matrix searched, and
	// hybridCenters those of each image binarized by the hybrid binarizer.
	centers       []*detector.FinderPattern
	hybridCenters map[*luma][]*detector.FinderPattern
}

func newReader() *reader {
	return &reader{
		decoder:       decoder.NewDecoder(),
		hybridCenters: map[*luma][]*detector.FinderPattern{},
		hints: map[gozxing.DecodeHintType]any{
			gozxing.DecodeHintType_TRY_HARDER: true,
		},
	}
}

// blackMatrix binarizes l with the given binarizer; nil when that fails.
func (r *reader) blackMatrix(l *luma, kind binarizerKind) *gozxing.BitMatrix {
	if kind == adaptive {
		return adaptiveMatrix(l)
	}
	src, err := gozxing.NewPlanarYUVLuminanceSource(l.pix, l.w, l.h, 0, 0, l.w, l.h, false)
	if err != nil {
		return nil
	}
	var bin gozxing.Binarizer
	if kind == global {
		bin = gozxing.NewGlobalHistgramBinarizer(src)
	} else {
		bin = gozxing.NewHybridBinarizer(src)
	}
	m, err := bin.GetBlackMatrix()
	if err != nil {
		return nil
	}
	return m
}

// try binarizes l and looks for a code, dark on light and, when alsoInverted, light on
// dark (the same black matrix flipped, which costs no second binarization).
func (r *reader) try(l *luma, kind binarizerKind, alsoInverted bool) (string, bool) {
	var m *gozxing.BitMatrix
	if !r.guard(func() { m = r.blackMatrix(l, kind) }) || m == nil {
		return "", false
	}
	text, ok := r.tryMatrix(m)
	if kind == hybrid {
		r.hybridCenters[l] = r.centers
	}
	if ok || !alsoInverted {
		return text, ok
	}
	m.FlipAll()
	return r.tryMatrix(m)
}

// tryMatrix looks for finder patterns in a black matrix once, then decodes the way
// gozxing's QR reader does and, when that fails, by the second pass of tryGrid.
func (r *reader) tryMatrix(m *gozxing.BitMatrix) (string, bool) {
	r.attempts++
	var f *detector.FinderPatternFinder
	var info *detector.FinderPatternInfo
	r.centers = nil
	r.guard(func() {
		f = detector.NewFinderPatternFinder(m, nil)
		var err error
		if info, err = f.Find(r.hints); err != nil {
			info = nil
		}
		r.centers = f.GetPossibleCenters()
	})
	r.finders = max(r.finders, confirmed(r.centers))
	if info != nil {
		if text, ok := r.decodeDetected(m, info); ok {
			return text, true
		}
	}
	if f == nil {
		return "", false
	}
	if info != nil && stoppedEarly(f) {
		r.guard(func() { r.centers = allCenters(m) })
	}
	if len(r.centers) < 3 {
		return "", false
	}
	return r.tryGrid(m, info, r.centers)
}

// decodeDetected runs gozxing's detector and decoder on the finder patterns it chose.
func (r *reader) decodeDetected(m *gozxing.BitMatrix, info *detector.FinderPatternInfo) (string, bool) {
	var text string
	var err error
	ok := r.guard(func() {
		det, e := detector.NewDetector(m).ProcessFinderPatternInfo(info)
		if e != nil {
			err = e
			return
		}
		res, e := r.decoder.Decode(det.GetBits(), r.hints)
		if e != nil {
			err = e
			return
		}
		text = res.GetText()
	})
	if !ok || err != nil {
		r.note(err)
		return "", false
	}
	return text, true
}

// note records why an attempt failed.
func (r *reader) note(err error) {
	f := failNotFound
	var cs gozxing.ChecksumException
	var fe gozxing.FormatException
	if errors.As(err, &cs) || errors.As(err, &fe) {
		f = failUnread
	}
	if f > r.worst {
		r.worst = f
	}
}

// guard runs f, turning a panic inside gozxing into a failed attempt.
func (r *reader) guard(f func()) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			ok = false
			r.note(fmt.Errorf("panic: %v", p))
		}
	}()
	f()
	return true
}

// confirmed counts the finder pattern candidates seen on more than one scan line.
func confirmed(centers []*detector.FinderPattern) int {
	n := 0
	for _, c := range centers {
		if c.GetCount() >= 2 {
			n++
		}
	}
	return n
}

// reason explains in words why no attempt decoded.
func (r *reader) reason(l *luma) string {
	what := "no finder patterns seen"
	switch {
	case r.worst == failUnread:
		what = "a code was seen but could not be read (too damaged, blurred or small)"
	case r.finders >= 2:
		what = "finder patterns seen, but not a whole code (partly outside the picture, covered or folded?)"
	}
	return fmt.Sprintf("%s in %dx%d image after %d attempts", what, l.w, l.h, r.attempts)
}
