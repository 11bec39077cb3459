package qrdecode

import (
	"image"
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
)

// This file finds every code of one picture (a page, a photo of several tickets), for
// the CLI's decode and scan and the server's decode route. Decode, the camera's
// one-code-a-frame path, does not go through it.

// maxCodesPerImage bounds the codes DecodeAll returns from one image.
const maxCodesPerImage = 64

// located is a code found with the box it covers.
type located struct {
	text string
	box  image.Rectangle
}

// DecodeAll reads every QR code found in img and returns their texts in reading order
// (top to bottom, then left to right), each once. It runs gozxing's multiple-code reader
// first; when that finds nothing it runs Decode's whole search, so it finds a code
// whenever Decode does; when it found some, it blanks them out and tries the quick
// steps of that search once more on the rest. Errors are Decode's.
func DecodeAll(img image.Image) ([]string, error) {
	l, err := imageLuminance(img)
	if err != nil {
		return nil, err
	}
	return decodeAllLuminance(l)
}

// DecodeAllBytes is DecodeAll for a PNG, JPEG or GIF file within GateLimits, with
// DecodeBytes's errors.
func DecodeAllBytes(data []byte) ([]string, error) {
	return DecodeAllBytesWithin(data, GateLimits)
}

// DecodeAllBytesWithin is DecodeAllBytes within the caller's limits.
func DecodeAllBytesWithin(data []byte, lim Limits) ([]string, error) {
	img, err := decodeImage(data, lim)
	if err != nil {
		return nil, err
	}
	return DecodeAll(img)
}

func decodeAllLuminance(l *luma) ([]string, error) {
	s := &search{r: newReader(), levels: pyramid(l)}
	s.work = s.workLevel()
	found := multiDecode(s.work)
	if len(found) == 0 {
		text, err := decodeLuminance(l)
		if err != nil {
			return nil, err
		}
		return []string{text}, nil
	}
	texts := make([]string, 0, len(found)+1)
	for _, f := range found {
		texts = append(texts, f.text)
	}
	rest := blankOut(l, found, float64(l.w)/float64(s.work.w))
	if text, ok := quickSearch(rest); ok && !slices.Contains(texts, text) {
		texts = append(texts, text)
	}
	return texts, nil
}

// multiDecode runs gozxing's multiple-code QR reader on l, binarized by the hybrid
// binarizer; a panic inside gozxing counts as nothing found.
func multiDecode(l *luma) (found []located) {
	defer func() {
		if recover() != nil {
			found = nil
		}
	}()
	src, err := gozxing.NewPlanarYUVLuminanceSource(l.pix, l.w, l.h, 0, 0, l.w, l.h, false)
	if err != nil {
		return nil
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
	if err != nil {
		return nil
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	results, _ := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, hints)
	for _, r := range results {
		if len(found) < maxCodesPerImage && !slices.ContainsFunc(found, func(f located) bool { return f.text == r.GetText() }) {
			found = append(found, located{text: r.GetText(), box: codeBox(r.GetResultPoints())})
		}
	}
	sortReadingOrder(found)
	return found
}

// codeBox is the box around a code's finder (and alignment) pattern centres, grown to
// the code's edges and a little quiet zone: the centres lie 3.5 modules inside, a
// quarter of their spacing in the smallest code.
func codeBox(points []gozxing.ResultPoint) image.Rectangle {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range points {
		minX, maxX = math.Min(minX, p.GetX()), math.Max(maxX, p.GetX())
		minY, maxY = math.Min(minY, p.GetY()), math.Max(maxY, p.GetY())
	}
	if len(points) == 0 {
		return image.Rectangle{}
	}
	grow := 0.35*math.Max(maxX-minX, maxY-minY) + 4
	return image.Rect(int(minX-grow), int(minY-grow), int(maxX+grow)+1, int(maxY+grow)+1)
}

// sortReadingOrder sorts codes by rows of the smallest code's height, then left to right.
func sortReadingOrder(found []located) {
	band := math.MaxInt
	for _, f := range found {
		band = max(1, min(band, f.box.Dy()))
	}
	center := func(f located) (int, int) {
		return (f.box.Min.Y + f.box.Max.Y) / 2 / band, (f.box.Min.X + f.box.Max.X) / 2
	}
	slices.SortStableFunc(found, func(a, b located) int {
		ay, ax := center(a)
		by, bx := center(b)
		if ay != by {
			return ay - by
		}
		return ax - bx
	})
}

// blankOut returns a copy of l with the boxes of the codes found, scaled from the level
// they were found on, painted white.
func blankOut(l *luma, found []located, scale float64) *luma {
	out := &luma{w: l.w, h: l.h, pix: slices.Clone(l.pix)}
	for _, f := range found {
		r := image.Rect(int(float64(f.box.Min.X)*scale), int(float64(f.box.Min.Y)*scale),
			int(math.Ceil(float64(f.box.Max.X)*scale)), int(math.Ceil(float64(f.box.Max.Y)*scale)))
		r = r.Intersect(image.Rect(0, 0, l.w, l.h))
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := out.pix[y*l.w+r.Min.X : y*l.w+r.Max.X]
			for i := range row {
				row[i] = 255
			}
		}
	}
	return out
}

// quickSearch runs the cheap first steps of Decode's search (coarse levels, both
// binarizers on the working level) on l.
func quickSearch(l *luma) (string, bool) {
	s := &search{r: newReader(), levels: pyramid(l)}
	s.work = s.workLevel()
	for _, st := range steps[:3] {
		if text, ok := st.run(s); ok {
			return text, true
		}
	}
	return "", false
}
