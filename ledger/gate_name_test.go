package ledger_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestCleanGate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"North door", "North door"},
		{"  North \t door\n", "North door"},
		{"", ledger.DefaultGate},
		{" \u00a0 ", ledger.DefaultGate},
		{"Cafe\u0301", "Café"},
	} {
		got, err := ledger.CleanGate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("CleanGate(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{strings.Repeat("x", ledger.MaxGateLen+1), "gate\xff"} {
		if _, err := ledger.CleanGate(bad); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("CleanGate(%q): %v, want EINVALID", bad, err)
		}
	}
}

func TestGateKey(t *testing.T) {
	same := []string{"North door", "north door", "NORTH DOOR", "Ｎｏｒｔｈ ｄｏｏｒ"}
	for _, name := range same {
		if ledger.GateKey(name) != ledger.GateKey(same[0]) {
			t.Errorf("GateKey(%q) = %q, want it equal to GateKey(%q) = %q", name, ledger.GateKey(name), same[0], ledger.GateKey(same[0]))
		}
	}
	for _, other := range []string{"North", "South door", "Northdoor"} {
		if ledger.GateKey(other) == ledger.GateKey("North door") {
			t.Errorf("%q counts as the same gate as North door", other)
		}
	}
}

// FuzzCleanGate: a cleaned name is clean, short enough, and cleans to itself.
func FuzzCleanGate(f *testing.F) {
	for _, s := range []string{"North door", " a\t b ", "", "Ｎｏｒｔｈ", "ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := ledger.CleanGate(s)
		if err != nil {
			return
		}
		again, err := ledger.CleanGate(name)
		if err != nil || again != name || utf8.RuneCountInString(name) > ledger.MaxGateLen || strings.TrimSpace(name) != name {
			t.Fatalf("CleanGate(%q) = %q, again %q, %v", s, name, again, err)
		}
		if ledger.GateKey(name) != ledger.GateKey(ledger.GateKey(name)) {
			t.Fatalf("GateKey(%q) is not stable", name)
		}
	})
}
