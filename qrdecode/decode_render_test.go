package qrdecode

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"

	qrencode "github.com/skip2/go-qrcode"
)

// This file renders the synthetic scenes of the decode corpus: a QR code on paper,
// placed in a frame by a homography (rotation, camera tilt), then degraded (blur, noise,
// light, contrast, inversion, JPEG).

// canvas is a float luminance image, 0 black to 255 white.
type canvas struct {
	w, h int
	v    []float64
}

func newCanvas(w, h int, fill float64) *canvas {
	c := &canvas{w: w, h: h, v: make([]float64, w*h)}
	for i := range c.v {
		c.v[i] = fill
	}
	return c
}

type pt struct{ x, y float64 }

// homography is a 3x3 projective map, row-major.
type homography [9]float64

func (h homography) apply(p pt) pt {
	d := h[6]*p.x + h[7]*p.y + h[8]
	return pt{(h[0]*p.x + h[1]*p.y + h[2]) / d, (h[3]*p.x + h[4]*p.y + h[5]) / d}
}

// homographyFromQuads returns the map taking src[i] to dst[i], by solving the 8x8 linear
// system of the four correspondences with Gaussian elimination.
func homographyFromQuads(src, dst [4]pt) homography {
	var a [8][9]float64
	for i := range 4 {
		s, d := src[i], dst[i]
		a[2*i] = [9]float64{s.x, s.y, 1, 0, 0, 0, -d.x * s.x, -d.x * s.y, d.x}
		a[2*i+1] = [9]float64{0, 0, 0, s.x, s.y, 1, -d.y * s.x, -d.y * s.y, d.y}
	}
	for col := range 8 {
		piv := col
		for r := col + 1; r < 8; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		a[col], a[piv] = a[piv], a[col]
		for r := range 8 {
			if r != col {
				f := a[r][col] / a[col][col]
				for k := col; k < 9; k++ {
					a[r][k] -= f * a[col][k]
				}
			}
		}
	}
	var h homography
	for i := range 8 {
		h[i] = a[i][8] / a[i][i]
	}
	h[8] = 1
	return h
}

// ticketArt is a QR code on a sheet of paper: the code's modules, the light margin
// around them (quiet zone plus paper) in modules, and the two inks.
type ticketArt struct {
	bits        [][]bool
	margin      float64
	dark, light float64
}

func qrBits(tb testing.TB, text string) [][]bool {
	tb.Helper()
	q, err := qrencode.New(text, qrencode.Medium)
	if err != nil {
		tb.Errorf("encode QR: %v", err)
		return nil
	}
	q.DisableBorder = true
	return q.Bitmap()
}

// side is the sheet's side in modules.
func (t ticketArt) side() float64 { return float64(len(t.bits)) + 2*t.margin }

// sheetRaster is a ticketArt prepared for fast sampling: a grid of cells of one module,
// the margin rounded up to whole cells and the cells outside the sheet marked.
type sheetRaster struct {
	n     int // cells per side
	off   float64
	side  float64
	cells []float64 // ink per cell
}

func (t ticketArt) raster() sheetRaster {
	m := int(math.Ceil(t.margin))
	n := len(t.bits) + 2*m
	r := sheetRaster{n: n, off: float64(m) - t.margin, side: t.side(), cells: make([]float64, n*n)}
	for i := range r.cells {
		r.cells[i] = t.light
		y, x := i/n-m, i%n-m
		if y >= 0 && x >= 0 && y < len(t.bits) && x < len(t.bits) && t.bits[y][x] {
			r.cells[i] = t.dark
		}
	}
	return r
}

// cell returns the cell index at sheet position (u, v) in modules, or -1 outside the
// sheet.
func (r *sheetRaster) cell(u, v float64) int {
	if u < 0 || v < 0 || u >= r.side || v >= r.side {
		return -1
	}
	return int(v+r.off)*r.n + int(u+r.off)
}

// pose places the sheet in the frame: centre, side in pixels, in-plane rotation and the
// camera's tilt about the sheet's horizontal and vertical axes (degrees).
type pose struct {
	cx, cy, sidePx       float64
	rotate, tiltX, tilty float64
}

// corners projects the sheet's corners: a square tilted in 3D, seen by a pinhole camera
// at 1.6 sides' distance, then rotated in the image plane and moved to the centre.
func (p pose) corners() [4]pt {
	h := p.sidePx / 2
	ax, ay := p.tiltX*math.Pi/180, p.tilty*math.Pi/180
	th := p.rotate * math.Pi / 180
	f := 1.6 * p.sidePx
	var out [4]pt
	for i, c := range [4]pt{{-h, -h}, {h, -h}, {h, h}, {-h, h}} {
		y, z := c.y*math.Cos(ax), c.y*math.Sin(ax)
		x, z := c.x*math.Cos(ay)+z*math.Sin(ay), -c.x*math.Sin(ay)+z*math.Cos(ay)
		k := f / (f + z)
		x, y = x*k, y*k
		out[i] = pt{p.cx + x*math.Cos(th) - y*math.Sin(th), p.cy + x*math.Sin(th) + y*math.Cos(th)}
	}
	return out
}

// draw renders the sheet into c at pose p. A pixel whose corners all fall in one module
// takes its ink; one on an edge averages 4x4 samples.
func (c *canvas) draw(t ticketArt, p pose) {
	r := t.raster()
	quad := p.corners()
	inv := homographyFromQuads(quad, [4]pt{{0, 0}, {r.side, 0}, {r.side, r.side}, {0, r.side}})
	x0, y0, x1, y1 := bbox(quad, c.w, c.h)
	cellAt := func(x, y float64) int { m := inv.apply(pt{x, y}); return r.cell(m.x, m.y) }
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			fx, fy := float64(x), float64(y)
			k := cellAt(fx, fy)
			if k == cellAt(fx+1, fy) && k == cellAt(fx, fy+1) && k == cellAt(fx+1, fy+1) {
				if k >= 0 {
					c.v[y*c.w+x] = r.cells[k]
				}
				continue
			}
			c.v[y*c.w+x] = c.supersample(&r, cellAt, fx, fy, c.v[y*c.w+x])
		}
	}
}

// supersample averages 4x4 samples of pixel (x, y); bg shows outside the sheet.
func (c *canvas) supersample(r *sheetRaster, cellAt func(x, y float64) int, x, y, bg float64) float64 {
	const ss = 4
	sum := 0.0
	for sy := range ss {
		for sx := range ss {
			if k := cellAt(x+(float64(sx)+0.5)/ss, y+(float64(sy)+0.5)/ss); k >= 0 {
				sum += r.cells[k]
			} else {
				sum += bg
			}
		}
	}
	return sum / ss / ss
}

func bbox(q [4]pt, w, h int) (x0, y0, x1, y1 int) {
	minX, minY, maxX, maxY := q[0].x, q[0].y, q[0].x, q[0].y
	for _, p := range q[1:] {
		minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
		minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
	}
	return max(0, int(minX)), max(0, int(minY)), min(w, int(maxX)+2), min(h, int(maxY)+2)
}

// blur applies a separable Gaussian blur of the given sigma (pixels), clamping at the
// edges.
func (c *canvas) blur(sigma float64) {
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	sum := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	line := make([]float64, max(c.w, c.h))
	for y := range c.h {
		convolveLine(c.v[y*c.w:(y+1)*c.w], 1, k, line[:c.w])
	}
	for x := range c.w {
		convolveLine(c.v[x:], c.w, k, line[:c.h])
	}
}

// convolveLine convolves the len(tmp) values v[0], v[step], ... with k in place.
func convolveLine(v []float64, step int, k, tmp []float64) {
	n, r := len(tmp), len(k)/2
	for i := range tmp {
		acc := 0.0
		for j, w := range k {
			acc += w * v[min(n-1, max(0, i+j-r))*step]
		}
		tmp[i] = acc
	}
	for i, a := range tmp {
		v[i*step] = a
	}
}

// noise adds Gaussian noise of the given standard deviation.
func (c *canvas) noise(rng *rand.Rand, sigma float64) {
	for i := range c.v {
		c.v[i] += rng.NormFloat64() * sigma
	}
}

// light multiplies by a linear ramp from lo to hi along the direction angle (degrees):
// a lamp on one side of the ticket.
func (c *canvas) light(lo, hi, angle float64) {
	dx, dy := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
	span := math.Abs(dx)*float64(c.w) + math.Abs(dy)*float64(c.h)
	base := math.Min(0, dx*float64(c.w)) + math.Min(0, dy*float64(c.h))
	for y := range c.h {
		for x := range c.w {
			t := (dx*float64(x) + dy*float64(y) - base) / span
			c.v[y*c.w+x] *= lo + (hi-lo)*t
		}
	}
}

// invert turns the scene into its negative: a code shown light on a dark screen.
func (c *canvas) invert() {
	for i, v := range c.v {
		c.v[i] = 255 - v
	}
}

// clutter draws random rectangles: the things around a code in a camera frame.
func (c *canvas) clutter(rng *rand.Rand, n int) {
	for range n {
		w, h := 10+rng.IntN(c.w/5), 5+rng.IntN(c.h/5)
		x, y := rng.IntN(c.w-w), rng.IntN(c.h-h)
		v := 30 + rng.Float64()*200
		for yy := y; yy < y+h; yy++ {
			for xx := x; xx < x+w; xx++ {
				c.v[yy*c.w+xx] = v
			}
		}
	}
}

func clamp8(v float64) uint8 { return uint8(math.Round(math.Min(255, math.Max(0, v)))) }

// gray returns the canvas as an 8-bit grey image.
func (c *canvas) gray() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, c.w, c.h))
	for i, v := range c.v {
		img.Pix[i] = clamp8(v)
	}
	return img
}

// tinted returns the canvas as a colour image lit by a warm lamp.
func (c *canvas) tinted() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	for i, v := range c.v {
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = clamp8(v*1.05+6), clamp8(v), clamp8(v*0.88), 255
	}
	return img
}

func encodePNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		tb.Errorf("encode PNG: %v", err)
	}
	return buf.Bytes()
}

func encodeJPEG(tb testing.TB, img image.Image, quality int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		tb.Errorf("encode JPEG: %v", err)
	}
	return buf.Bytes()
}
