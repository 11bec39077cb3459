package ledger

import "testing"

// FuzzParseSeat: no input panics, and every accepted seat prints to text that parses back
// to the same seat.
func FuzzParseSeat(f *testing.F) {
	for _, s := range []string{"1A", "12", "A", "Stalls/12C", "North Upper/250AE", "0A", "1234567", "/1A", "a/b/1A", " 3B "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		seat, err := ParseSeat(text)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseSeat(%q) error code %q, want %q", text, ErrorCode(err), EINVALID)
			}
			return
		}
		if err := seat.Validate(); err != nil {
			t.Fatalf("ParseSeat(%q) = %+v, which does not validate: %v", text, seat, err)
		}
		again, err := ParseSeat(seat.String())
		if err != nil || again != seat {
			t.Fatalf("ParseSeat(%q) = %+v; its text %q parses to %+v, %v", text, seat, seat.String(), again, err)
		}
	})
}

// FuzzValidateAddress: no input panics, and an accepted address has the version and length
// of a contract address.
func FuzzValidateAddress(f *testing.F) {
	f.Add(ZeroAddress)
	f.Add("t6vc3nrbAurGs3i17HJUavZuw4ioKTiFCE")
	f.Add("1111111111111111111111111111")
	f.Fuzz(func(t *testing.T, s string) {
		if err := ValidateAddress(s); err == nil && (len(s) < 26 || len(s) > 36 || s[0] != 'C') {
			t.Fatalf("ValidateAddress accepted %q", s)
		}
	})
}

// FuzzParseBlockRef: no input panics, refusals are EINVALID, and every accepted anchor
// prints to text that parses back to the same anchor.
func FuzzParseBlockRef(f *testing.F) {
	hash := "5f3a0000000000000000000000000000000000000000000000000000000000ab"
	for _, s := range []string{"12:" + hash, "0:" + hash, "-1:" + hash, "12", ":", "12:" + hash[:10], " 7:" + hash + " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		b, err := ParseBlockRef(text)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseBlockRef(%q) error code %q, want %q", text, ErrorCode(err), EINVALID)
			}
			return
		}
		if b.Height < 0 || len(b.Hash) != 64 {
			t.Fatalf("ParseBlockRef(%q) = %+v", text, b)
		}
		again, err := ParseBlockRef(b.String())
		if err != nil || again != b {
			t.Fatalf("ParseBlockRef(%q) = %+v; its text parses to %+v, %v", text, b, again, err)
		}
	})
}
