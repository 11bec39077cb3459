package pdfscan

import (
	"image"
	"math"
	"slices"
)

// This file fills paths into a grey raster: a pixel is painted when its centre is inside
// the path, by the nonzero or the even-odd rule, without anti-aliasing, which is what a
// QR decoder wants of vector modules.

// point is a position in device pixels.
type point struct{ x, y float64 }

// raster is a page painted in grey levels, white where nothing was painted. ink is the
// box of the pixels painted dark, which is all a code can be in.
type raster struct {
	img  *image.Gray
	ink  image.Rectangle
	work int // crossings computed so far, against maxFillWork
}

// maxFillWork bounds the rows and edge crossings one page may cost to fill.
const maxFillWork = 100_000_000

func newRaster(w, h int) *raster {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	return &raster{img: img}
}

// edge is a non-horizontal segment, y0 < y1, dir +1 when it went down.
type edge struct {
	x0, y0, x1, y1 float64
	dir            int
}

// fill paints the subpaths, each closed, in the grey level.
func (r *raster) fill(subpaths [][]point, evenOdd bool, grey byte) error {
	edges := edgesOf(subpaths)
	if len(edges) == 0 {
		return nil
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmpFloat(a.y0, b.y0) })
	h := r.img.Rect.Dy()
	first := max(0, int(math.Floor(edges[0].y0)))
	var active []edge
	var xs []crossing
	next := 0
	for row := first; row < h; row++ {
		yc := float64(row) + 0.5
		for next < len(edges) && edges[next].y0 <= yc {
			active = append(active, edges[next])
			next++
		}
		active = slices.DeleteFunc(active, func(e edge) bool { return e.y1 <= yc })
		if len(active) == 0 && next == len(edges) {
			break
		}
		if r.work += 1 + len(active); r.work > maxFillWork {
			return tooLarge("a page is too complex to draw")
		}
		xs = crossings(active, yc, xs[:0])
		r.spans(row, xs, evenOdd, grey)
	}
	return nil
}

type crossing struct {
	x   float64
	dir int
}

// crossings lists where the active edges cross the row's centre line, left to right.
func crossings(active []edge, yc float64, xs []crossing) []crossing {
	for _, e := range active {
		if e.y0 > yc {
			continue
		}
		x := e.x0 + (yc-e.y0)*(e.x1-e.x0)/(e.y1-e.y0)
		xs = append(xs, crossing{x, e.dir})
	}
	slices.SortFunc(xs, func(a, b crossing) int { return cmpFloat(a.x, b.x) })
	return xs
}

// spans paints the pixels of a row whose centres lie inside the path.
func (r *raster) spans(row int, xs []crossing, evenOdd bool, grey byte) {
	wind := 0
	for i := 0; i+1 < len(xs); i++ {
		if evenOdd {
			wind ^= 1
		} else {
			wind += xs[i].dir
		}
		if wind == 0 {
			continue
		}
		r.paint(row, xs[i].x, xs[i+1].x, grey)
	}
}

// paint fills the pixels of a row whose centres lie between x0 and x1.
func (r *raster) paint(row int, x0, x1 float64, grey byte) {
	w := r.img.Rect.Dx()
	a := max(0, int(math.Ceil(x0-0.5)))
	b := min(w, int(math.Ceil(x1-0.5)))
	if a >= b {
		return
	}
	line := r.img.Pix[row*r.img.Stride:]
	for x := a; x < b; x++ {
		line[x] = grey
	}
	if grey < 160 {
		r.ink = r.ink.Union(image.Rect(a, row, b, row+1))
	}
}

// edgesOf turns closed subpaths into edges, leaving out horizontal ones and any with a
// coordinate that is not a finite number.
func edgesOf(subpaths [][]point) []edge {
	var edges []edge
	for _, sp := range subpaths {
		for i := range sp {
			a, b := sp[i], sp[(i+1)%len(sp)]
			if a.y == b.y || !finite(a) || !finite(b) {
				continue
			}
			if a.y < b.y {
				edges = append(edges, edge{a.x, a.y, b.x, b.y, 1})
			} else {
				edges = append(edges, edge{b.x, b.y, a.x, a.y, -1})
			}
		}
	}
	return edges
}

func finite(p point) bool {
	return !math.IsNaN(p.x) && !math.IsNaN(p.y) && math.Abs(p.x) < 1e7 && math.Abs(p.y) < 1e7
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
