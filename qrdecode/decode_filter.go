package qrdecode

import (
	"image"

	"github.com/makiuchi-d/gozxing"
)

// downscale shrinks l by an integer factor, averaging each f x f box.
func downscale(l *luma, f int) *luma {
	out := newLuma(l.w/f, l.h/f)
	sums := make([]int, out.w)
	n := f * f
	for oy := 0; oy < out.h; oy++ {
		clear(sums)
		for y := oy * f; y < oy*f+f; y++ {
			row := l.pix[y*l.w : y*l.w+out.w*f]
			for ox := range sums {
				for _, v := range row[ox*f : ox*f+f] {
					sums[ox] += int(v)
				}
			}
		}
		dst := out.pix[oy*out.w : (oy+1)*out.w]
		for ox, s := range sums {
			dst[ox] = byte(s / n)
		}
	}
	return out
}

// upscale enlarges l by an integer factor with bilinear interpolation, so that codes of
// two or three pixels per module give the binarizer and the sampling grid room to work.
func upscale(l *luma, f int) *luma {
	out := newLuma(l.w*f, l.h*f)
	// Fixed point: positions in 1/(2f) pixels, weights in 1/256.
	for oy := 0; oy < out.h; oy++ {
		y0, wy := bilinearPos(oy, f, l.h)
		r0 := l.pix[y0*l.w : (y0+1)*l.w]
		r1 := r0
		if y0+1 < l.h {
			r1 = l.pix[(y0+1)*l.w : (y0+2)*l.w]
		}
		dst := out.pix[oy*out.w : (oy+1)*out.w]
		for ox := range dst {
			x0, wx := bilinearPos(ox, f, l.w)
			x1 := min(x0+1, l.w-1)
			top := int(r0[x0])*(256-wx) + int(r0[x1])*wx
			bot := int(r1[x0])*(256-wx) + int(r1[x1])*wx
			dst[ox] = byte((top*(256-wy) + bot*wy + 1<<15) >> 16)
		}
	}
	return out
}

// bilinearPos maps output index o of an f-times enlargement to the source index at or
// before its centre and the weight (of 256) of the next source pixel.
func bilinearPos(o, f, n int) (int, int) {
	num := (2*o+1)*128/f - 128 // centre in source pixels, times 256
	if num <= 0 {
		return 0, 0
	}
	i := num >> 8
	if i >= n-1 {
		return n - 1, 0
	}
	return i, num & 255
}

// crop copies the part of l inside r (clipped to l).
func crop(l *luma, r image.Rectangle) *luma {
	r = r.Intersect(image.Rect(0, 0, l.w, l.h))
	out := newLuma(r.Dx(), r.Dy())
	for y := 0; y < out.h; y++ {
		copy(out.pix[y*out.w:(y+1)*out.w], l.pix[(r.Min.Y+y)*l.w+r.Min.X:])
	}
	return out
}

// spread returns the 1st and 99th percentiles of l's luminance.
func spread(l *luma) (lo, hi int) {
	var hist [256]int
	for _, v := range l.pix {
		hist[v]++
	}
	return percentile(&hist, len(l.pix)/100), percentile(&hist, len(l.pix)-len(l.pix)/100-1)
}

// noiseLevel estimates the sensor noise of l: the median, over every eighth row, of how
// far a pixel is from the mean of its left and right neighbours. Edges are few, so the
// median sees the flat areas, where it is about 0.8 times the noise's standard deviation.
func noiseLevel(l *luma) int {
	var hist [256]int
	n := 0
	for y := 0; y < l.h; y += 8 {
		row := l.pix[y*l.w : (y+1)*l.w]
		for x := 1; x+1 < len(row); x++ {
			d := 2*int(row[x]) - int(row[x-1]) - int(row[x+1])
			hist[min(255, max(d, -d)/2)]++
			n++
		}
	}
	return percentile(&hist, n/2)
}

// stretch maps the 1st and 99th luminance percentiles of l to black and white, so that a
// code printed grey on grey gets the full range. It returns nil when l has no contrast
// at all.
func stretch(l *luma) *luma {
	lo, hi := spread(l)
	if hi-lo < 4 {
		return nil
	}
	var table [256]byte
	for i := range table {
		table[i] = byte(min(255, max(0, (i-lo)*255/(hi-lo))))
	}
	out := newLuma(l.w, l.h)
	for i, v := range l.pix {
		out.pix[i] = table[v]
	}
	return out
}

// percentile returns the smallest value with more than k pixels at or below it.
func percentile(hist *[256]int, k int) int {
	n := 0
	for v, c := range hist {
		n += c
		if n > k {
			return v
		}
	}
	return 255
}

// invert returns the photographic negative of l.
func invert(l *luma) *luma {
	out := newLuma(l.w, l.h)
	for i, v := range l.pix {
		out.pix[i] = 255 - v
	}
	return out
}

// integral returns the summed-area table of l, (w+1) x (h+1), with a zero first row and
// column. Sums wrap modulo 2^32, which leaves the sum over any box of under 16 million
// pixels exact when computed with the same wrapping arithmetic (see boxSum).
func integral(l *luma) []uint32 {
	w1 := l.w + 1
	sat := make([]uint32, w1*(l.h+1))
	for y := 0; y < l.h; y++ {
		var run uint32
		row := l.pix[y*l.w : (y+1)*l.w]
		above, cur := sat[y*w1:], sat[(y+1)*w1:]
		for x, v := range row {
			run += uint32(v)
			cur[x+1] = above[x+1] + run
		}
	}
	return sat
}

// boxSum returns the sum of the pixels in [x0,x1) x [y0,y1) from a summed-area table of
// row length w1.
func boxSum(sat []uint32, w1, x0, y0, x1, y1 int) int {
	return int(sat[y1*w1+x1] - sat[y0*w1+x1] - sat[y1*w1+x0] + sat[y0*w1+x0])
}

// boxBlur averages each pixel with its (2r+1)^2 neighbourhood, clipped at the edges:
// it tames strong sensor noise before binarization.
func boxBlur(l *luma, r int) *luma {
	sat := integral(l)
	w1 := l.w + 1
	out := newLuma(l.w, l.h)
	for y := 0; y < l.h; y++ {
		y0, y1 := max(0, y-r), min(l.h, y+r+1)
		for x := 0; x < l.w; x++ {
			x0, x1 := max(0, x-r), min(l.w, x+r+1)
			s := boxSum(sat, w1, x0, y0, x1, y1)
			out.pix[y*l.w+x] = byte(s / ((y1 - y0) * (x1 - x0)))
		}
	}
	return out
}

// adaptiveMatrix thresholds each pixel against the mean of a window around it (Bradley
// and Roth's method): dark means below 88% of the local mean. The window spans about an
// eighth of the image, enough to cover several modules of any code that fills a useful
// part of it, and small enough to follow a gradient of light across the code.
func adaptiveMatrix(l *luma) *gozxing.BitMatrix {
	m, err := gozxing.NewBitMatrix(l.w, l.h)
	if err != nil {
		return nil
	}
	r := max(7, min(l.w, l.h)/16)
	sat := integral(l)
	w1 := l.w + 1
	row := gozxing.NewBitArray(l.w)
	for y := 0; y < l.h; y++ {
		y0, y1 := max(0, y-r), min(l.h, y+r+1)
		top, bot := sat[y0*w1:(y0+1)*w1], sat[y1*w1:(y1+1)*w1]
		pix := l.pix[y*l.w : (y+1)*l.w]
		row.Clear()
		for x, v := range pix {
			x0, x1 := max(0, x-r), min(l.w, x+r+1)
			sum := int(bot[x1] - top[x1] - bot[x0] + top[x0])
			if int(v)*(y1-y0)*(x1-x0)*25 < sum*22 {
				row.Set(x)
			}
		}
		m.SetRow(y, row)
	}
	return m
}
