package issuer

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestParseLayout(t *testing.T) {
	for in, want := range map[string]Layout{"a4": LayoutA4, "A4": LayoutA4, " a6 ": LayoutA6, "A6": LayoutA6} {
		if got, err := ParseLayout(in); err != nil || got != want {
			t.Errorf("ParseLayout(%q) = %v, %v; want %v", in, got, err, want)
		}
		if got, _ := ParseLayout(want.String()); got != want {
			t.Errorf("ParseLayout(%v.String()) = %v", want, got)
		}
	}
	for _, in := range []string{"", "a5", "letter", "a4 a6"} {
		if _, err := ParseLayout(in); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("ParseLayout(%q) error %v, want EINVALID", in, err)
		}
	}
}

// TestVersionModuleMM: a module of a symbol prints at the layout's QR square divided
// among its modules, quiet zone included: version 1 (21 modules and 8 of quiet zone) on
// A4's 80 mm square is 80/29 mm.
func TestVersionModuleMM(t *testing.T) {
	if got, want := LayoutA4.VersionModuleMM(1), 80.0/29; got != want {
		t.Errorf("A4 version 1: %v mm, want %v", got, want)
	}
	if got, want := LayoutA6.VersionModuleMM(30), 60.0/145; got != want {
		t.Errorf("A6 version 30: %v mm, want %v", got, want)
	}
}
