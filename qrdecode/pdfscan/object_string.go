package pdfscan

// This file reads the compound objects: strings, arrays and dictionaries.

// literal reads a (string) with its escapes and balanced parentheses.
func (lx *lexer) literal() (any, error) {
	lx.pos++
	var b []byte
	for depth := 1; lx.pos < len(lx.data); {
		c := lx.data[lx.pos]
		lx.pos++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return pdfString(b), nil
			}
		case '\\':
			if lx.pos < len(lx.data) {
				c = lx.escape()
			}
		}
		b = append(b, c)
	}
	return nil, malformed("a string is not closed")
}

// escape reads the character after a backslash (octal codes are read as their low byte).
func (lx *lexer) escape() byte {
	c := lx.data[lx.pos]
	lx.pos++
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	}
	if c < '0' || c > '7' {
		return c
	}
	v := int(c - '0')
	for i := 0; i < 2 && lx.pos < len(lx.data) && lx.data[lx.pos] >= '0' && lx.data[lx.pos] <= '7'; i++ {
		v = v*8 + int(lx.data[lx.pos]-'0')
		lx.pos++
	}
	return byte(v)
}

// hex reads a <hex string>.
func (lx *lexer) hex() (any, error) {
	lx.pos++
	var b []byte
	half, odd := byte(0), false
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		lx.pos++
		if c == '>' {
			if odd {
				b = append(b, half<<4)
			}
			return pdfString(b), nil
		}
		v, ok := hexValue(c)
		if !ok {
			continue // white space, or junk we tolerate
		}
		if odd {
			b = append(b, half<<4|v)
		}
		half, odd = v, !odd
	}
	return nil, malformed("a hex string is not closed")
}

func hexValue(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// array reads the elements up to "]".
func (lx *lexer) array(depth int, refs bool) (any, error) {
	var a array
	for {
		v, err := lx.object(depth+1, refs)
		if err != nil {
			return nil, err
		}
		if v == keyword("]") {
			return a, nil
		}
		a = append(a, v)
	}
}

// dict reads the key-value pairs up to ">>".
func (lx *lexer) dict(depth int, refs bool) (any, error) {
	d := dict{}
	for {
		lx.skipSpace()
		if lx.pos+1 < len(lx.data) && lx.data[lx.pos] == '>' && lx.data[lx.pos+1] == '>' {
			lx.pos += 2
			return d, nil
		}
		k, err := lx.object(depth+1, refs)
		if err != nil {
			return nil, err
		}
		key, ok := k.(name)
		if !ok {
			return nil, malformed("a dictionary key is not a name")
		}
		v, err := lx.object(depth+1, refs)
		if err != nil {
			return nil, err
		}
		d[key] = v
	}
}
