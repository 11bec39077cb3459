package pdfscan

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"io"
)

// This file undoes the filters of a stream, within the limits: FlateDecode (with PNG and
// TIFF predictors), ASCIIHexDecode and ASCII85Decode. DCTDecode, the JPEG of a photo,
// ends the chain: its bytes go to the image decoder as they are.

// decodeStream returns the stream's data with its filters undone, and "DCT" when the
// data is still a JPEG. The result is cached, and counted once against the limits.
func (d *document) decodeStream(s *stream) ([]byte, string, error) {
	if cached, ok := d.cache[s]; ok {
		return cached, "", nil
	}
	filters, params := d.filters(s.dict)
	data := s.raw
	for i, f := range filters {
		var err error
		switch f {
		case "FlateDecode", "Fl":
			if data, err = d.inflate(data); err == nil {
				data, err = d.unpredict(data, d.dictOf(params[i]))
			}
		case "ASCIIHexDecode", "AHx":
			data = asciiHex(data)
		case "ASCII85Decode", "A85":
			data = ascii85(data)
		case "DCTDecode", "DCT":
			return data, "DCT", nil
		default:
			return nil, "", malformed("a stream uses the " + string(f) + " filter, which this reader does not know")
		}
		if err != nil {
			return nil, "", err
		}
	}
	if len(filters) > 0 {
		d.cache[s] = data
	}
	return data, "", nil
}

// filters lists a stream's filters and their parameters, one entry each.
func (d *document) filters(dct dict) ([]name, []any) {
	f, p := d.resolve(dct["Filter"]), d.resolve(dct["DecodeParms"])
	if f == nil {
		f, p = d.resolve(dct["F"]), d.resolve(dct["DP"]) // inline images
	}
	switch f := f.(type) {
	case name:
		return []name{f}, []any{p}
	case array:
		names, params := make([]name, 0, len(f)), make([]any, len(f))
		pa, _ := p.(array)
		for i, v := range f {
			n, _ := d.resolve(v).(name)
			names = append(names, n)
			if i < len(pa) {
				params[i] = pa[i]
			}
		}
		return names, params
	}
	return nil, nil
}

// inflate undoes Flate compression, with or without the zlib wrapper, keeping what was
// read of a stream cut short. It refuses to go past the per-stream and total limits.
func (d *document) inflate(raw []byte) ([]byte, error) {
	var r io.ReadCloser
	if zr, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
		r = zr
	} else {
		r = flate.NewReader(bytes.NewReader(raw))
	}
	defer r.Close()
	budget := min(d.lim.MaxStreamBytes, d.lim.MaxInflatedBytes-d.inflated)
	out, err := io.ReadAll(io.LimitReader(r, int64(budget)+1))
	if len(out) > budget {
		if budget < d.lim.MaxStreamBytes {
			return nil, tooLarge("its streams inflate to more than %s", mib(d.lim.MaxInflatedBytes))
		}
		return nil, tooLarge("a stream inflates to more than %s", mib(d.lim.MaxStreamBytes))
	}
	d.inflated += len(out)
	if err != nil && len(out) == 0 && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, malformed("a compressed stream is damaged")
	}
	return out, nil
}

// asciiHex decodes hex digits up to ">", skipping anything else.
func asciiHex(data []byte) []byte {
	out := make([]byte, 0, len(data)/2)
	half, odd := byte(0), false
	for _, c := range data {
		if c == '>' {
			break
		}
		if v, ok := hexValue(c); ok {
			if odd {
				out = append(out, half<<4|v)
			}
			half, odd = v, !odd
		}
	}
	if odd {
		out = append(out, half<<4)
	}
	return out
}

// ascii85 decodes base-85 groups up to "~>", with "z" for four zero bytes.
func ascii85(data []byte) []byte {
	out := make([]byte, 0, len(data)*4/5+4)
	var group [5]byte
	n := 0
	flush := func(count int) {
		v := uint32(0)
		for i := range 5 {
			v = v*85 + uint32(group[i])
		}
		b := [4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
		out = append(out, b[:count]...)
	}
	for _, c := range data {
		switch {
		case c == '~':
			if n > 0 {
				for i := n; i < 5; i++ {
					group[i] = 84
				}
				flush(n - 1)
			}
			return out
		case c == 'z' && n == 0:
			out = append(out, 0, 0, 0, 0)
		case c >= '!' && c <= 'u':
			group[n] = c - '!'
			if n++; n == 5 {
				flush(4)
				n = 0
			}
		}
	}
	return out
}
