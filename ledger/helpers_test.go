package ledger_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// wantCode fails the test unless err carries the ledger error code want, and its
// message reads as a sentence.
func wantCode(tb testing.TB, err error, want string) {
	tb.Helper()
	if got := ledger.ErrorCode(err); got != want {
		tb.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
	checkSentence(tb, ledger.ErrorMessage(err))
}

// checkSentence fails unless msg looks like words for a person: it starts with a letter,
// has at least three words and carries no formatting or driver debris.
func checkSentence(tb testing.TB, msg string) {
	tb.Helper()
	r := []rune(msg)
	switch {
	case len(r) == 0:
		tb.Fatalf("empty error message")
	case !unicode.IsLetter(r[0]):
		tb.Errorf("message %q does not start with a word", msg)
	case len(strings.Fields(msg)) < 3:
		tb.Errorf("message %q is not a sentence", msg)
	}
	for _, debris := range []string{"%!", "<nil>", "sql:", "sqlite", "panic"} {
		if strings.Contains(msg, debris) {
			tb.Errorf("message %q contains %q", msg, debris)
		}
	}
}

func mustSeat(tb testing.TB, text string) ledger.Seat {
	tb.Helper()
	s, err := ledger.ParseSeat(text)
	if err != nil {
		tb.Fatalf("ParseSeat(%q): %v", text, err)
	}
	return s
}
