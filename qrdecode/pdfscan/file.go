package pdfscan

import (
	"bytes"
	"strconv"
)

// This file finds the objects of a PDF. It does not trust the cross-reference table: it
// scans the file for "N G obj" as a repairing reader does, so that a file cut short or
// edited by hand still gives up the objects it holds, then reads the object streams.

// document is one PDF being read.
type document struct {
	data     []byte
	lim      Limits
	objs     map[int]any
	trailers []dict
	inflated int                // bytes inflated so far, against MaxInflatedBytes
	cache    map[*stream][]byte // inflated streams
	ops      int                // content operators run so far
	images   int                // images decoded so far
}

// IsPDF reports whether data starts like a PDF: "%PDF-" in its first kilobyte.
func IsPDF(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

// open finds the objects of data.
func open(data []byte, lim Limits) (*document, error) {
	lim = lim.withDefaults()
	if !IsPDF(data) {
		return nil, newError(ErrNotPDF, "This file is not a PDF")
	}
	if len(data) > lim.MaxFileBytes {
		return nil, tooLarge("the file has %s, the limit is %s", mib(len(data)), mib(lim.MaxFileBytes))
	}
	d := &document{data: data, lim: lim, objs: map[int]any{}, cache: map[*stream][]byte{}}
	if err := d.scanObjects(); err != nil {
		return nil, err
	}
	if err := d.readObjectStreams(); err != nil {
		return nil, err
	}
	if len(d.objs) == 0 {
		return nil, malformed("it holds no objects")
	}
	d.scanTrailers()
	return d, nil
}

// scanObjects reads every "N G obj" of the file, a later definition replacing an
// earlier one as an incremental update does.
func (d *document) scanObjects() error {
	for pos := 0; ; {
		i := bytes.Index(d.data[pos:], []byte("obj"))
		if i < 0 {
			return nil
		}
		at := pos + i
		pos = at + 3
		num, ok := objectHeader(d.data, at)
		if !ok || (pos < len(d.data) && !isSpace(d.data[pos]) && !isDelim(d.data[pos])) {
			continue
		}
		lx := &lexer{data: d.data, pos: pos}
		v, err := lx.object(0, true)
		if err != nil {
			continue
		}
		if dct, ok := v.(dict); ok {
			v = d.streamAfter(lx, dct)
		}
		if _, seen := d.objs[num]; !seen && len(d.objs) >= d.lim.MaxObjects {
			return tooLarge("it has more than %d objects", d.lim.MaxObjects)
		}
		d.objs[num] = v
		pos = lx.pos
	}
}

// objectHeader reads the "N G " before the "obj" at at and returns N.
func objectHeader(data []byte, at int) (int, bool) {
	i := at
	digits := func() (string, bool) {
		for i > 0 && isSpace(data[i-1]) {
			i--
		}
		end := i
		for i > 0 && data[i-1] >= '0' && data[i-1] <= '9' && end-i < 10 {
			i--
		}
		return string(data[i:end]), i < end
	}
	if _, ok := digits(); !ok || i == at {
		return 0, false
	}
	n, ok := digits()
	if !ok || (i > 0 && !isSpace(data[i-1]) && !isDelim(data[i-1])) {
		return 0, false
	}
	num, err := strconv.Atoi(n)
	return num, err == nil
}

// streamAfter returns the stream whose dictionary dct was just read, or dct itself when
// no "stream" keyword follows. The data's end comes from a direct /Length when
// "endstream" follows it, else from the next "endstream".
func (d *document) streamAfter(lx *lexer, dct dict) any {
	save := lx.pos
	lx.skipSpace()
	if !bytes.HasPrefix(d.data[lx.pos:], []byte("stream")) {
		lx.pos = save
		return dct
	}
	start := lx.pos + len("stream")
	if bytes.HasPrefix(d.data[start:], []byte("\r\n")) {
		start += 2
	} else if start < len(d.data) && (d.data[start] == '\n' || d.data[start] == '\r') {
		start++
	}
	if n, ok := dct["Length"].(float64); ok && n >= 0 && n <= float64(len(d.data)-start) {
		end := start + int(n)
		after := &lexer{data: d.data, pos: end}
		after.skipSpace()
		if bytes.HasPrefix(d.data[after.pos:], []byte("endstream")) {
			lx.pos = after.pos + len("endstream")
			return &stream{dict: dct, raw: d.data[start:end]}
		}
	}
	end := bytes.Index(d.data[start:], []byte("endstream"))
	if end < 0 {
		lx.pos = len(d.data)
		return &stream{dict: dct, raw: d.data[start:]}
	}
	lx.pos = start + end + len("endstream")
	raw := bytes.TrimSuffix(d.data[start:start+end], []byte("\n"))
	return &stream{dict: dct, raw: bytes.TrimSuffix(raw, []byte("\r"))}
}

// scanTrailers reads every trailer dictionary, and the dictionaries of cross-reference
// streams, which stand for it in newer files.
func (d *document) scanTrailers() {
	for pos := 0; ; {
		i := bytes.Index(d.data[pos:], []byte("trailer"))
		if i < 0 {
			break
		}
		lx := &lexer{data: d.data, pos: pos + i + len("trailer")}
		if v, err := lx.object(0, true); err == nil {
			if t, ok := v.(dict); ok {
				d.trailers = append(d.trailers, t)
			}
		}
		pos = pos + i + len("trailer")
	}
	for _, v := range d.objs {
		if s, ok := v.(*stream); ok && s.dict["Type"] == name("XRef") {
			d.trailers = append(d.trailers, s.dict)
		}
	}
}

// resolve follows references (a few deep) to the object they name; a missing object
// is null.
func (d *document) resolve(v any) any {
	for range 8 {
		r, ok := v.(ref)
		if !ok {
			return v
		}
		v = d.objs[r.num]
	}
	return nil
}

// dictOf resolves v to a dictionary, the dictionary of a stream included.
func (d *document) dictOf(v any) dict {
	switch x := d.resolve(v).(type) {
	case dict:
		return x
	case *stream:
		return x.dict
	}
	return nil
}

// number resolves v to a number; ok is false when it is none.
func (d *document) number(v any) (float64, bool) {
	f, ok := d.resolve(v).(float64)
	return f, ok
}
