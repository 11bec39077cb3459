package ledger

import (
	"fmt"
	"unicode/utf8"
)

// CheckText refuses text that is not valid UTF-8 or that holds a control or invisible
// character: NUL and the other C0 and C1 controls (tabs and line breaks too), DEL, the
// bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E-200F,
// U+202A-202E, U+2066-2069), the zero-width characters (U+200B-200D, U+2060, U+FEFF)
// and the line and paragraph separators (U+2028-2029). Such characters print as nothing,
// reorder what is printed next to them, or are refused by PostgreSQL: two names that look
// alike must be alike. field names the text in the EINVALID error ("Venue", "Gate").
func CheckText(field, text string) error {
	for i, r := range text {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(text[i:]); size == 1 {
				return Errorf(EINVALID, "%s must be valid UTF-8 text: it has a stray byte at position %d", field, i+1)
			}
		}
		if name := invisible(r); name != "" {
			return Errorf(EINVALID, "%s must not contain %s (U+%04X at character %d): it cannot be printed or read back as typed",
				field, name, r, utf8.RuneCountInString(text[:i])+1)
		}
	}
	return nil
}

// invisible names the kind of a character CheckText refuses, "" for one it accepts.
func invisible(r rune) string {
	switch {
	case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
		return "a control character"
	case r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
		return "a bidirectional control character"
	case r >= 0x200b && r <= 0x200d || r == 0x2060 || r == 0xfeff:
		return "a zero-width character"
	case r == 0x2028 || r == 0x2029:
		return "a line or paragraph separator"
	}
	return ""
}

// checkTexts runs CheckText on pairs of field name and text, returning the first refusal.
func checkTexts(pairs ...string) error {
	if len(pairs)%2 != 0 {
		panic(fmt.Sprintf("checkTexts: %d arguments, want pairs", len(pairs)))
	}
	for i := 0; i < len(pairs); i += 2 {
		if err := CheckText(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}
