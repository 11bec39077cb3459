package qrdecode

import (
	"image"
	"image/color"
)

// luma is an 8-bit luminance image, row-major with no padding: pix[y*w+x], 0 black,
// 255 white. Every decode attempt works on one of these.
type luma struct {
	w, h int
	pix  []byte
}

func newLuma(w, h int) *luma { return &luma{w: w, h: h, pix: make([]byte, w*h)} }

// luminanceOf converts img to luminance once, with fast paths for the types the standard
// decoders and cameras produce. Transparent pixels are composited over white, so a code
// drawn on a transparent background reads as dark on light.
func luminanceOf(img image.Image) *luma {
	b := img.Bounds()
	l := newLuma(b.Dx(), b.Dy())
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < l.h; y++ {
			copy(l.pix[y*l.w:(y+1)*l.w], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		for y := 0; y < l.h; y++ {
			copy(l.pix[y*l.w:(y+1)*l.w], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		fromRGBA(l, m.Pix, m.Stride, m.PixOffset(b.Min.X, b.Min.Y), true)
	case *image.NRGBA:
		fromRGBA(l, m.Pix, m.Stride, m.PixOffset(b.Min.X, b.Min.Y), false)
	case *image.Paletted:
		fromPaletted(l, m)
	default:
		fromAny(l, img)
	}
	return l
}

// lumOver returns the luminance of a premultiplied 8-bit colour composited over white.
func lumOver(r, g, b, a uint32) byte {
	y := (299*r + 587*g + 114*b + 500) / 1000
	return byte(y + 255 - a)
}

// fromRGBA converts 8-bit RGBA rows, premultiplied or not.
func fromRGBA(l *luma, pix []byte, stride, off int, premultiplied bool) {
	for y := 0; y < l.h; y++ {
		row := pix[off+y*stride : off+y*stride+4*l.w]
		out := l.pix[y*l.w : (y+1)*l.w]
		for x := range out {
			p := row[4*x : 4*x+4 : 4*x+4]
			r, g, b, a := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
			if !premultiplied && a != 255 {
				r, g, b = r*a/255, g*a/255, b*a/255
			}
			out[x] = lumOver(r, g, b, a)
		}
	}
}

// fromPaletted converts through a luminance table of the palette; indexes past the
// palette's end read as white.
func fromPaletted(l *luma, m *image.Paletted) {
	var table [256]byte
	for i := range table {
		table[i] = 255
		if i < len(m.Palette) {
			table[i] = lumOfColor(m.Palette[i])
		}
	}
	b := m.Bounds()
	for y := 0; y < l.h; y++ {
		row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
		out := l.pix[y*l.w : (y+1)*l.w]
		for x := range out {
			out[x] = table[row[x]]
		}
	}
}

// fromAny converts any other image through its colour model, slowly but correctly.
func fromAny(l *luma, img image.Image) {
	b := img.Bounds()
	for y := 0; y < l.h; y++ {
		out := l.pix[y*l.w : (y+1)*l.w]
		for x := range out {
			out[x] = lumOfColor(img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
}

func lumOfColor(c color.Color) byte {
	if c == nil {
		return 255
	}
	r, g, b, a := c.RGBA()
	return lumOver(r>>8, g>>8, b>>8, a>>8)
}
