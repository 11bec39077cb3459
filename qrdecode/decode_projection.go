package qrdecode

import "math"

// projection maps module coordinates (u, v) of a code to pixel coordinates: a 3x3
// projective matrix, row-major, the exact model of a flat code photographed at an angle.
type projection [9]float64

func (p projection) at(u, v float64) (float64, float64) {
	d := p[6]*u + p[7]*v + p[8]
	return (p[0]*u + p[1]*v + p[2]) / d, (p[3]*u + p[4]*v + p[5]) / d
}

// moduleSize is the mean side in pixels of the module at (u, v).
func (p projection) moduleSize(u, v float64) float64 {
	x, y := p.at(u, v)
	x1, y1 := p.at(u+1, v)
	x2, y2 := p.at(u, v+1)
	return (math.Hypot(x1-x, y1-y) + math.Hypot(x2-x, y2-y)) / 2
}

func (p projection) times(q projection) projection {
	var r projection
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				r[3*i+j] += p[3*i+k] * q[3*k+j]
			}
		}
	}
	return r
}

// correspondence pairs a point in module coordinates with where it is in the image.
type correspondence struct{ u, v, x, y float64 }

// fitProjection returns the projection that best maps the (u, v) to the (x, y) of four
// or more correspondences, in the least-squares sense of the linearised equations. Both
// point sets are first centred and scaled, which keeps the 8x8 normal equations well
// conditioned. ok is false for degenerate point sets.
func fitProjection(pts []correspondence) (projection, bool) {
	if len(pts) < 4 {
		return projection{}, false
	}
	mn, _ := normalizer(pts, func(c correspondence) (float64, float64) { return c.u, c.v })
	in, inInv := normalizer(pts, func(c correspondence) (float64, float64) { return c.x, c.y })
	var ata [8][9]float64 // normal equations, augmented with the right-hand side
	for _, c := range pts {
		u, v := mn.at(c.u, c.v)
		x, y := in.at(c.x, c.y)
		addRow(&ata, [8]float64{u, v, 1, 0, 0, 0, -x * u, -x * v}, x)
		addRow(&ata, [8]float64{0, 0, 0, u, v, 1, -y * u, -y * v}, y)
	}
	h, ok := solve8(&ata)
	if !ok {
		return projection{}, false
	}
	p := inInv.times(projection{h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1}).times(mn)
	if p[8] == 0 || math.IsNaN(p[8]) {
		return projection{}, false
	}
	for i := range p {
		p[i] /= p[8]
	}
	return p, true
}

// normalizer returns the similarity that moves the points' centroid to the origin and
// their mean distance from it to sqrt(2), and its inverse.
func normalizer(pts []correspondence, xy func(correspondence) (float64, float64)) (projection, projection) {
	var cx, cy float64
	for _, c := range pts {
		x, y := xy(c)
		cx, cy = cx+x, cy+y
	}
	n := float64(len(pts))
	cx, cy = cx/n, cy/n
	d := 0.0
	for _, c := range pts {
		x, y := xy(c)
		d += math.Hypot(x-cx, y-cy)
	}
	s := math.Sqrt2 * n / math.Max(d, 1e-9)
	return projection{s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1},
		projection{1 / s, 0, cx, 0, 1 / s, cy, 0, 0, 1}
}

// addRow adds the outer product of one linear equation a.h = b to the normal equations.
func addRow(ata *[8][9]float64, a [8]float64, b float64) {
	for i := range 8 {
		for j := range 8 {
			ata[i][j] += a[i] * a[j]
		}
		ata[i][8] += a[i] * b
	}
}

// solve8 solves the augmented 8x8 system by Gauss-Jordan elimination with partial
// pivoting; ok is false when it is singular.
func solve8(a *[8][9]float64) ([8]float64, bool) {
	var h [8]float64
	for col := range 8 {
		piv := col
		for r := col + 1; r < 8; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		if math.Abs(a[piv][col]) < 1e-12 {
			return h, false
		}
		a[col], a[piv] = a[piv], a[col]
		for r := range 8 {
			if r == col {
				continue
			}
			f := a[r][col] / a[col][col]
			for k := col; k < 9; k++ {
				a[r][k] -= f * a[col][k]
			}
		}
	}
	for i := range 8 {
		h[i] = a[i][8] / a[i][i]
	}
	return h, true
}
