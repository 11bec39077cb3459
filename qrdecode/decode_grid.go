package qrdecode

import (
	"math"
	"slices"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// This file is the second try after gozxing's own detector fails on a black matrix. It
// keeps gozxing's finder and alignment pattern finders and its decoder, and replaces
// the step between them, which fails on codes seen at an angle: gozxing rejects finder
// patterns of too different module sizes, trusts one estimate of the dimension and maps
// the grid from three finders and one alignment pattern. Here the finder candidates are
// combined more freely, several dimensions are tried (and the version information read
// from the code decides among them), and every alignment pattern found refines a
// least-squares projective map from modules to pixels.

// finderTriple is three finder patterns in code order.
type finderTriple struct{ tl, tr, bl *detector.FinderPattern }

// maxTriples bounds the finder combinations tried per black matrix.
const maxTriples = 3

// tryGrid decodes m by the means above, from gozxing's choice of finder patterns (nil
// when it made none) and the candidates it saw.
func (r *reader) tryGrid(m *gozxing.BitMatrix, info *detector.FinderPatternInfo, cands []*detector.FinderPattern) (string, bool) {
	var triples []finderTriple
	if !r.guard(func() { triples = finderTriples(info, cands) }) {
		return "", false
	}
	for _, t := range triples {
		var text string
		found := false
		r.guard(func() { text, found = r.tryTriple(m, t) })
		if found {
			return text, true
		}
	}
	return "", false
}

// tryTriple tries the dimension the timing patterns count, mapped through them, then
// that dimension and the likeliest ones by the finder distances mapped from the finders
// alone (the timing runs of a small blurred code may place the far corner badly), each
// corrected by the version information when it reads.
func (r *reader) tryTriple(m *gozxing.BitMatrix, t finderTriple) (string, bool) {
	ax := measureAxes(m, t)
	dims := dimensionCandidates(t, ax)
	if tf, ok := readTiming(m, t, ax); ok {
		if p, ok := fitProjection(tf.pts); ok {
			if text, ok := r.decodeGrid(m, refine(m, tf.pts, p, tf.dim), tf.dim); ok {
				return text, true
			}
		}
		dims = append([]int{tf.dim}, dims...)
	}
	seen := map[int]bool{}
	for _, dim := range dims {
		p, ok := finderProjection(t, dim)
		if ok && dim >= 45 {
			if v := readVersionDimension(m, p, dim); v != 0 && v != dim {
				dim = v
				p, ok = finderProjection(t, dim)
			}
		}
		if !ok || seen[dim] {
			continue
		}
		seen[dim] = true
		if text, ok := r.decodeGrid(m, refine(m, finderPoints(t, dim), p, dim), dim); ok {
			return text, true
		}
	}
	return "", false
}

// decodeGrid samples the modules through p and hands them to gozxing's decoder.
func (r *reader) decodeGrid(m *gozxing.BitMatrix, p projection, dim int) (string, bool) {
	bits := sampleGrid(m, p, dim)
	if bits == nil {
		return "", false
	}
	r.attempts++
	res, err := r.decoder.Decode(bits, r.hints)
	if err != nil {
		r.note(err)
		return "", false
	}
	return res.GetText(), true
}

// finderTriples returns up to maxTriples plausible finder triples: gozxing's choice when
// it made one, then the best-shaped combinations of the candidates it saw.
func finderTriples(info *detector.FinderPatternInfo, cands []*detector.FinderPattern) []finderTriple {
	var out []finderTriple
	if info != nil {
		out = append(out, finderTriple{info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()})
	}
	cands = slices.Clone(cands)
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].GetCount() > cands[j].GetCount() })
	cands = cands[:min(len(cands), 7)]
	type scored struct {
		t     finderTriple
		score float64
	}
	var all []scored
	for i := range cands {
		for j := i + 1; j < len(cands); j++ {
			for k := j + 1; k < len(cands); k++ {
				if t, s, ok := shapeTriple(cands[i], cands[j], cands[k]); ok {
					all = append(all, scored{t, s})
				}
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score < all[j].score })
	for _, s := range all {
		if len(out) >= maxTriples {
			break
		}
		if len(out) == 0 || !sameTriple(out[0], s.t) {
			out = append(out, s.t)
		}
	}
	return out
}

func sameTriple(a, b finderTriple) bool { return a.tl == b.tl && a.tr == b.tr && a.bl == b.bl }

// shapeTriple orders three candidates as a code's corners and scores how much they look
// like one (0 is a perfect square corner of equal legs); ok is false for shapes no
// code seen at a reasonable angle makes.
func shapeTriple(a, b, c *detector.FinderPattern) (finderTriple, float64, bool) {
	sizes := []float64{a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize(), c.GetEstimatedModuleSize()}
	lo, hi := math.Min(sizes[0], math.Min(sizes[1], sizes[2])), math.Max(sizes[0], math.Max(sizes[1], sizes[2]))
	if hi > 2.2*lo {
		return finderTriple{}, 0, false
	}
	p0, p1, p2 := gozxing.ResultPoint_OrderBestPatterns(a, b, c)
	t := finderTriple{bl: p0.(*detector.FinderPattern), tl: p1.(*detector.FinderPattern), tr: p2.(*detector.FinderPattern)}
	ux, uy := t.tr.GetX()-t.tl.GetX(), t.tr.GetY()-t.tl.GetY()
	vx, vy := t.bl.GetX()-t.tl.GetX(), t.bl.GetY()-t.tl.GetY()
	lu, lv := math.Hypot(ux, uy), math.Hypot(vx, vy)
	ms := (lo + hi) / 2
	if lu < 12*ms || lv < 12*ms || lu > 200*ms || lv > 200*ms {
		return finderTriple{}, 0, false
	}
	cos := (ux*vx + uy*vy) / (lu * lv)
	ratio := math.Max(lu, lv) / math.Min(lu, lv)
	if math.Abs(cos) > 0.6 || ratio > 2 {
		return finderTriple{}, 0, false
	}
	return t, math.Abs(cos) + (ratio - 1) + (hi/lo - 1), true
}

// dimensionCandidates estimates the code's side in modules from the finder distances
// in module sizes measured along them, and returns the valid sides (4k+1) nearest the
// estimate. Along a line seen in perspective the count of modules between two points is
// their distance over the geometric mean of the module sizes there.
func dimensionCandidates(t finderTriple, ax finderAxes) []int {
	legU := gozxing.ResultPoint_Distance(t.tl, t.tr) / math.Sqrt(ax.tlU*ax.trU)
	legV := gozxing.ResultPoint_Distance(t.tl, t.bl) / math.Sqrt(ax.tlV*ax.blV)
	est := (legU+legV)/2 + 7
	base := int(math.Round((est-1)/4))*4 + 1
	var dims []int
	for _, d := range []int{base, base - 4, base + 4, base - 8, base + 8} {
		if d >= 21 && d <= 177 {
			dims = append(dims, d)
		}
	}
	sort.SliceStable(dims, func(i, j int) bool {
		return math.Abs(float64(dims[i])-est) < math.Abs(float64(dims[j])-est)
	})
	return dims[:min(len(dims), 3)]
}

// readVersionDimension reads the version information next to the top-right finder,
// then the bottom-left one, and returns the dimension it names, or 0.
func readVersionDimension(m *gozxing.BitMatrix, p projection, dim int) int {
	blocks := [2]func(a, b int) (int, int){
		func(a, b int) (int, int) { return dim - 9 - b, 5 - a }, // top right: 3 wide, 6 tall
		func(a, b int) (int, int) { return 5 - a, dim - 9 - b }, // bottom left: 6 wide, 3 tall
	}
	for _, at := range blocks {
		bits := 0
		for a := range 6 {
			for b := range 3 {
				x, y := at(a, b)
				bits <<= 1
				if v, ok := sampleModule(m, p, x, y); ok && v {
					bits |= 1
				}
			}
		}
		if v, err := decoder.Version_decodeVersionInformation(bits); err == nil && v != nil {
			return v.GetDimensionForVersion()
		}
	}
	return 0
}

// finderProjection maps modules to pixels from the three finder centres, completing the
// fourth corner as a parallelogram: exact for codes seen square on.
func finderProjection(t finderTriple, dim int) (projection, bool) {
	far := float64(dim) - 3.5
	brx := t.tr.GetX() - t.tl.GetX() + t.bl.GetX()
	bry := t.tr.GetY() - t.tl.GetY() + t.bl.GetY()
	return fitProjection([]correspondence{
		{3.5, 3.5, t.tl.GetX(), t.tl.GetY()},
		{far, 3.5, t.tr.GetX(), t.tr.GetY()},
		{3.5, far, t.bl.GetX(), t.bl.GetY()},
		{far, far, brx, bry},
	})
}

// finderPoints pairs the finder centres with their module coordinates.
func finderPoints(t finderTriple, dim int) []correspondence {
	far := float64(dim) - 3.5
	return []correspondence{
		{3.5, 3.5, t.tl.GetX(), t.tl.GetY()},
		{far, 3.5, t.tr.GetX(), t.tr.GetY()},
		{3.5, far, t.bl.GetX(), t.bl.GetY()},
	}
}

// refine looks for the code's alignment patterns where p predicts them, nearest the
// top-left finder first, and refits the projection to the known correspondences and
// every alignment pattern found so far. It returns p unchanged when none is found.
func refine(m *gozxing.BitMatrix, known []correspondence, p projection, dim int) projection {
	v, err := decoder.Version_GetProvisionalVersionForDimension(dim)
	if err != nil {
		return p
	}
	pts := slices.Clone(known)
	for _, c := range alignmentCentres(v.GetAlignmentPatternCenters()) {
		x, y := p.at(c[0], c[1])
		ms := p.moduleSize(c[0], c[1])
		if a := findAlignment(m, x, y, ms); a != nil && math.Hypot(a.GetX()-x, a.GetY()-y) < 3*ms {
			pts = append(pts, correspondence{c[0], c[1], a.GetX(), a.GetY()})
			if len(pts) >= 4 && len(pts) > len(known) {
				if q, ok := fitProjection(pts); ok {
					p = q
				}
			}
		}
	}
	return p
}

// alignmentCentres lists the module-space centres of a version's alignment patterns,
// less the three under the finders, ordered by distance from the top-left corner.
func alignmentCentres(pos []int) [][2]float64 {
	var out [][2]float64
	last := len(pos) - 1
	for i, y := range pos {
		for j, x := range pos {
			if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) {
				continue
			}
			out = append(out, [2]float64{float64(x) + 0.5, float64(y) + 0.5})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i][0]+out[i][1] < out[j][0]+out[j][1]
	})
	return out
}

// findAlignment runs gozxing's alignment pattern finder in a window of about four
// modules around (x, y).
func findAlignment(m *gozxing.BitMatrix, x, y, ms float64) *detector.AlignmentPattern {
	r := int(math.Ceil(4 * ms))
	x0, y0 := max(0, int(x)-r), max(0, int(y)-r)
	x1, y1 := min(m.GetWidth(), int(x)+r+1), min(m.GetHeight(), int(y)+r+1)
	if x1-x0 < int(3*ms) || y1-y0 < int(3*ms) {
		return nil
	}
	a, err := detector.NewAlignmentPatternFinder(m, x0, y0, x1-x0, y1-y0, ms, nil).Find()
	if err != nil {
		return nil
	}
	return a
}

// sampleGrid reads the dim x dim modules at their centres; nil when the grid leaves the
// image by more than a module.
func sampleGrid(m *gozxing.BitMatrix, p projection, dim int) *gozxing.BitMatrix {
	bits, err := gozxing.NewSquareBitMatrix(dim)
	if err != nil {
		return nil
	}
	for y := range dim {
		for x := range dim {
			v, ok := sampleModule(m, p, x, y)
			if !ok {
				return nil
			}
			if v {
				bits.Set(x, y)
			}
		}
	}
	return bits
}

// sampleModule reads module (x, y) at its centre, clamping positions up to a pixel
// outside the image; ok is false further out.
func sampleModule(m *gozxing.BitMatrix, p projection, x, y int) (dark, ok bool) {
	px, py := p.at(float64(x)+0.5, float64(y)+0.5)
	w, h := float64(m.GetWidth()), float64(m.GetHeight())
	if math.IsNaN(px) || math.IsNaN(py) || px < -1 || py < -1 || px > w+1 || py > h+1 {
		return false, false
	}
	return m.Get(int(min(max(px, 0), w-1)), int(min(max(py, 0), h-1))), true
}
