package pdfscan

import (
	"errors"
	"image"

	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// This file turns an image XObject into a grey image for the decoder: samples of 1 to 16
// bits in grey, RGB, CMYK, indexed or separation colour, stencil masks, and a soft mask
// composited over white. A JPEG is passed on as it is.

// source is one image to look for codes in: decoded samples, or a JPEG.
type source struct {
	img  image.Image
	jpeg []byte
}

// colorSpace says how to read one pixel's samples as a grey level.
type colorSpace struct {
	comps  int
	table  []byte // indexed: the grey of each index
	invert bool   // separation: a tint of 1 is full ink
}

// imageSource decodes an image XObject; nil for an image it cannot read (a filter or
// colour space it does not know), which is no reason to give up the whole file.
func (d *document) imageSource(s *stream, resources dict) (*source, error) {
	data, final, err := d.decodeStream(s)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		return nil, nil
	}
	if final == "DCT" {
		return &source{jpeg: data}, nil
	}
	g, err := d.samples(s.dict, data, resources)
	if g == nil || err != nil {
		return nil, err
	}
	d.softMask(s.dict, g)
	return &source{img: g}, nil
}

// samples reads the image's samples into grey levels.
func (d *document) samples(dct dict, data []byte, resources dict) (*image.Gray, error) {
	w, _ := d.number(first(dct, "Width", "W"))
	h, _ := d.number(first(dct, "Height", "H"))
	bpc, _ := d.number(first(dct, "BitsPerComponent", "BPC"))
	if w < 1 || h < 1 || w > 1e6 || h > 1e6 {
		return nil, nil
	}
	if w*h > qrdecode.MaxImagePixels {
		return nil, tooLarge("an image has %.0fx%.0f pixels, the limit is %d", w, h, qrdecode.MaxImagePixels)
	}
	cs := colorSpace{comps: 1}
	mask := d.resolve(first(dct, "ImageMask", "IM")) == true
	if mask {
		bpc = 1
	} else if cs = d.colorSpace(first(dct, "ColorSpace", "CS"), resources, 0); cs.comps == 0 {
		return nil, nil
	}
	if bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16 {
		return nil, nil
	}
	invert := decodeInverted(d.resolve(first(dct, "Decode", "D")))
	if mask {
		invert = !invert // a stencil paints where the sample is 0
	}
	return readSamples(data, int(w), int(h), int(bpc), cs, invert), nil
}

// first is the first of the keys the dictionary holds (full names, then the
// abbreviations of inline images).
func first(dct dict, keys ...name) any {
	for _, k := range keys {
		if v, ok := dct[k]; ok {
			return v
		}
	}
	return nil
}

// decodeInverted reports a /Decode array that maps the first component's 0 to 1.
func decodeInverted(v any) bool {
	a, ok := v.(array)
	if !ok || len(a) < 2 {
		return false
	}
	lo, _ := a[0].(float64)
	hi, _ := a[1].(float64)
	return lo > hi
}

// readSamples converts packed samples to grey; missing rows stay white.
func readSamples(data []byte, w, h, bpc int, cs colorSpace, invert bool) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	stride := (w*cs.comps*bpc + 7) / 8
	maxV := uint32(1)<<bpc - 1
	var comp [4]uint32
	for y := range h {
		row := data[min(len(data), y*stride):min(len(data), (y+1)*stride)]
		for x := range w {
			if len(row) < stride {
				g.Pix[y*g.Stride+x] = 255
				continue
			}
			for c := range cs.comps {
				comp[c] = sampleAt(row, (x*cs.comps+c)*bpc, bpc)
			}
			v := cs.grey(comp[:cs.comps], maxV)
			if invert != cs.invert {
				v = 255 - v
			}
			g.Pix[y*g.Stride+x] = v
		}
	}
	return g
}

// sampleAt reads the bpc-bit sample at bit offset off.
func sampleAt(row []byte, off, bpc int) uint32 {
	if bpc == 16 {
		return uint32(row[off/8])<<8 | uint32(row[off/8+1])
	}
	if bpc == 8 {
		return uint32(row[off/8])
	}
	b := row[off/8]
	shift := 8 - bpc - off%8
	return uint32(b>>shift) & (1<<bpc - 1)
}

// grey is the grey level of one pixel's samples, each at most maxV.
func (cs colorSpace) grey(c []uint32, maxV uint32) byte {
	if cs.table != nil {
		if int(c[0]) < len(cs.table) {
			return cs.table[c[0]]
		}
		return 255
	}
	s := func(i int) uint32 { return c[i] * 255 / maxV }
	switch cs.comps {
	case 3:
		return byte((299*s(0) + 587*s(1) + 114*s(2)) / 1000)
	case 4:
		k := 255 - s(3)
		return byte((299*(255-s(0)) + 587*(255-s(1)) + 114*(255-s(2))) * k / 255 / 1000)
	}
	return byte(s(0))
}
