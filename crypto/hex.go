package crypto

import (
	"encoding/hex"
	"fmt"
)

// EncodeHex returns b as lower-case hex, the form of keys and IVs in QR codes and the API.
func EncodeHex(b []byte) string {
	return hex.EncodeToString(b)
}

// DecodeHex decodes hex text of either case. When size > 0 the text must decode to exactly
// size bytes; size 0 (or less) accepts any length. It fails with an error wrapping ErrHex that says
// what is wrong: the wrong number of characters (with the number wanted and got), an odd
// length, or the first character that is not hex and its position.
func DecodeHex(s string, size int) ([]byte, error) {
	switch {
	case size > 0 && len(s) != 2*size:
		return nil, fmt.Errorf("%w: want %d hex characters (%d bytes), got %d", ErrHex, 2*size, size, len(s))
	case len(s)%2 != 0:
		return nil, fmt.Errorf("%w: odd length %d", ErrHex, len(s))
	}
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return nil, fmt.Errorf("%w: %s at position %d is not a hex digit", ErrHex, describeByte(s[i]), i)
		}
	}
	b := make([]byte, len(s)/2)
	if _, err := hex.Decode(b, []byte(s)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHex, err) // unreachable after the checks above
	}
	return b, nil
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// describeByte names a byte for an error message: 'g' when printable ASCII, else 0xc3.
func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}
