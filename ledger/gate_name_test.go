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

// TestCleanCheckIn: a request's gate is cleaned and its nonce bounded to MaxNonceLen
// bytes of text.
func TestCleanCheckIn(t *testing.T) {
	r, err := ledger.CleanCheckIn(ledger.CheckInRequest{Gate: "  North \t door", Nonce: strings.Repeat("n", ledger.MaxNonceLen)})
	if err != nil || r.Gate != "North door" {
		t.Fatalf("CleanCheckIn = %+v, %v; want gate %q", r, err, "North door")
	}
	if r, err := ledger.CleanCheckIn(ledger.CheckInRequest{}); err != nil || r.Gate != ledger.DefaultGate {
		t.Errorf("CleanCheckIn of no gate = %q, %v; want %q", r.Gate, err, ledger.DefaultGate)
	}
	for name, bad := range map[string]ledger.CheckInRequest{
		"LongNonce":    {Nonce: strings.Repeat("n", ledger.MaxNonceLen+1)},
		"ControlNonce": {Nonce: "a\x00b"},
		"LongGate":     {Gate: strings.Repeat("g", ledger.MaxGateLen+1)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ledger.CleanCheckIn(bad)
			wantCode(t, err, ledger.EINVALID)
		})
	}
}
