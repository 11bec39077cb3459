package pdfscan

import (
	"bytes"
	"strconv"
)

// This file parses PDF objects (ISO 32000-1, 7.2 and 7.3) from bytes: numbers, names,
// strings, arrays, dictionaries, references and the keywords of content streams.

// The values a parsed object can hold: nil (null), bool, float64, name, pdfString,
// array, dict, ref, keyword, or *stream (only from the file's object table).
type (
	name      string
	pdfString string
	keyword   string
	array     []any
	dict      map[name]any
	ref       struct{ num, gen int }
	// stream is a stream object: its dictionary and its still-encoded bytes.
	stream struct {
		dict dict
		raw  []byte
	}
)

// maxNesting bounds the nesting of arrays and dictionaries in one object.
const maxNesting = 32

// lexer reads tokens and objects from data starting at pos.
type lexer struct {
	data []byte
	pos  int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

// skipSpace skips white space and comments.
func (lx *lexer) skipSpace() {
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		switch {
		case isSpace(c):
			lx.pos++
		case c == '%':
			for lx.pos < len(lx.data) && lx.data[lx.pos] != '\n' && lx.data[lx.pos] != '\r' {
				lx.pos++
			}
		default:
			return
		}
	}
}

// errSyntax is returned for bytes that are not a PDF object where one is expected.
var errSyntax = malformed("an object cannot be read")

// object reads the next object; a number followed by "G R" becomes a reference when
// refs is true (not in content streams, where "1 0 R" cannot occur).
func (lx *lexer) object(depth int, refs bool) (any, error) {
	if depth > maxNesting {
		return nil, malformed("objects are nested too deeply")
	}
	lx.skipSpace()
	if lx.pos >= len(lx.data) {
		return nil, errEOF
	}
	switch c := lx.data[lx.pos]; {
	case c == '/':
		return lx.name(), nil
	case c == '(':
		return lx.literal()
	case c == '<' && lx.pos+1 < len(lx.data) && lx.data[lx.pos+1] == '<':
		lx.pos += 2
		return lx.dict(depth, refs)
	case c == '<':
		return lx.hex()
	case c == '[':
		lx.pos++
		return lx.array(depth, refs)
	case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
		lx.pos++
		return keyword(c), nil
	}
	word := lx.word()
	if v, err := strconv.ParseFloat(word, 64); err == nil && !isSpecialFloat(word) {
		if refs {
			if r, ok := lx.reference(v); ok {
				return r, nil
			}
		}
		return v, nil
	}
	switch word {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	case "":
		lx.pos++ // a stray delimiter
		return nil, errSyntax
	}
	return keyword(word), nil
}

// isSpecialFloat rejects what strconv reads but PDF has no number for (Inf, NaN, hex,
// exponents).
func isSpecialFloat(w string) bool {
	return bytes.ContainsAny([]byte(w), "eEnNiIxXpP_")
}

// word reads a run of regular characters.
func (lx *lexer) word() string {
	start := lx.pos
	for lx.pos < len(lx.data) && !isSpace(lx.data[lx.pos]) && !isDelim(lx.data[lx.pos]) {
		lx.pos++
	}
	return string(lx.data[start:lx.pos])
}

// reference reads "G R" after the number v, restoring the position when it is not there.
func (lx *lexer) reference(v float64) (ref, bool) {
	save := lx.pos
	lx.skipSpace()
	gen := lx.word()
	lx.skipSpace()
	r := lx.word()
	g, err := strconv.Atoi(gen)
	if err != nil || r != "R" || v != float64(int(v)) || v < 0 || g < 0 {
		lx.pos = save
		return ref{}, false
	}
	return ref{num: int(v), gen: g}, true
}

func (lx *lexer) name() name {
	lx.pos++
	start := lx.pos
	for lx.pos < len(lx.data) && !isSpace(lx.data[lx.pos]) && !isDelim(lx.data[lx.pos]) {
		lx.pos++
	}
	raw := lx.data[start:lx.pos]
	if bytes.IndexByte(raw, '#') < 0 {
		return name(raw)
	}
	var b []byte
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) {
			if v, err := strconv.ParseUint(string(raw[i+1:i+3]), 16, 8); err == nil {
				b = append(b, byte(v))
				i += 2
				continue
			}
		}
		b = append(b, raw[i])
	}
	return name(b)
}
