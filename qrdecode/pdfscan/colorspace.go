package pdfscan

import (
	"image"
)

// colorSpace reads a colour space: grey, RGB, CMYK (device, calibrated or ICC), indexed
// over one of them, or separation; comps 0 for what it cannot read.
func (d *document) colorSpace(v any, resources dict, depth int) colorSpace {
	v = d.resolve(v)
	if n, ok := v.(name); ok {
		if named := d.resolve(d.dictOf(resources["ColorSpace"])[n]); named != nil && depth < 4 {
			return d.colorSpace(named, resources, depth+1)
		}
		switch n {
		case "DeviceGray", "G", "CalGray":
			return colorSpace{comps: 1}
		case "DeviceRGB", "RGB", "CalRGB":
			return colorSpace{comps: 3}
		case "DeviceCMYK", "CMYK":
			return colorSpace{comps: 4}
		}
		return colorSpace{}
	}
	a, ok := v.(array)
	if !ok || len(a) == 0 || depth > 4 {
		return colorSpace{}
	}
	switch d.resolve(a[0]) {
	case name("CalGray"), name("CalRGB"), name("DeviceGray"), name("DeviceRGB"), name("DeviceCMYK"):
		return d.colorSpace(a[0], resources, depth+1)
	case name("ICCBased"):
		if len(a) > 1 {
			n, _ := d.number(d.dictOf(a[1])["N"])
			if n == 1 || n == 3 || n == 4 {
				return colorSpace{comps: int(n)}
			}
		}
	case name("Indexed"), name("I"):
		return d.indexed(a, resources, depth)
	case name("Separation"):
		return colorSpace{comps: 1, invert: true}
	}
	return colorSpace{}
}

// indexed reads [/Indexed base hival lookup] into a grey table.
func (d *document) indexed(a array, resources dict, depth int) colorSpace {
	if len(a) != 4 {
		return colorSpace{}
	}
	base := d.colorSpace(a[1], resources, depth+1)
	hival, _ := d.number(a[2])
	if base.comps == 0 || base.table != nil || hival < 0 || hival > 255 {
		return colorSpace{}
	}
	var lookup []byte
	switch l := d.resolve(a[3]).(type) {
	case pdfString:
		lookup = []byte(l)
	case *stream:
		lookup, _, _ = d.decodeStream(l)
	}
	table := make([]byte, int(hival)+1)
	for i := range table {
		c := make([]uint32, base.comps)
		for j := range c {
			if k := i*base.comps + j; k < len(lookup) {
				c[j] = uint32(lookup[k])
			}
		}
		table[i] = base.grey(c, 255)
		if base.invert {
			table[i] = 255 - table[i]
		}
	}
	return colorSpace{comps: 1, table: table}
}

// softMask composites g over white through the image's /SMask, when it is a grey image
// of the same size.
func (d *document) softMask(dct dict, g *image.Gray) {
	s, ok := d.resolve(dct["SMask"]).(*stream)
	if !ok {
		return
	}
	data, final, err := d.decodeStream(s)
	if err != nil || final != "" {
		return
	}
	a, err := d.samples(s.dict, data, nil)
	if err != nil || a == nil || a.Rect != g.Rect {
		return
	}
	for i, v := range g.Pix {
		alpha := uint32(a.Pix[i])
		g.Pix[i] = byte((uint32(v)*alpha + 255*(255-alpha)) / 255)
	}
}
