package pdfscan

import (
	"bytes"
)

// inlineImage reads an inline image (BI keys ID data EI) and collects it like an image
// XObject. The data ends at the first "EI" between white space, unless the image is
// unfiltered and its size says where.
func (p *painter) inlineImage(lx *lexer, resources dict) error {
	dct := dict{}
	for {
		k, err := lx.object(0, false)
		if err != nil {
			return nil
		}
		if k == keyword("ID") {
			break
		}
		v, err := lx.object(0, false)
		key, ok := k.(name)
		if err != nil || !ok {
			return nil
		}
		dct[key] = v
	}
	start := lx.pos + 1 // one white-space byte after ID
	if start > len(lx.data) {
		return nil
	}
	end := inlineEnd(lx.data, start)
	lx.pos = min(len(lx.data), end+2)
	return p.image(&stream{dict: dct, raw: lx.data[start:end]}, resources)
}

// inlineEnd finds the "EI" that ends inline image data starting at start.
func inlineEnd(data []byte, start int) int {
	for at := start; ; {
		i := bytes.Index(data[at:], []byte("EI"))
		if i < 0 {
			return len(data)
		}
		e := at + i
		after := e + 2
		if e > start && isSpace(data[e-1]) && (after == len(data) || isSpace(data[after]) || isDelim(data[after])) {
			return e - 1
		}
		at = e + 2
	}
}
