package issuer

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestByteCapacityM checks the capacity table against go-qrcode: a text of exactly a
// version's capacity gets that version, one byte more the next.
func TestByteCapacityM(t *testing.T) {
	for i, c := range byteCapacityM {
		v := i + 1
		q, err := qrcode.New(strings.Repeat("a", c), qrcode.Medium)
		if err != nil || q.VersionNumber != v {
			t.Fatalf("%d bytes: go-qrcode picks version %v (err %v), the table says %d", c, q, err, v)
		}
		q, err = qrcode.New(strings.Repeat("a", c+1), qrcode.Medium)
		switch {
		case v == 40 && err == nil:
			t.Fatalf("%d bytes fit in a version 40 symbol; the table says they do not", c+1)
		case v < 40 && (err != nil || q.VersionNumber != v+1):
			t.Fatalf("%d bytes: go-qrcode picks %v (err %v), want version %d", c+1, q, err, v+1)
		}
	}
}

// TestQRVersionBoundsTheSymbol checks that the version read from the table is never
// below the one go-qrcode builds for real ticket texts (hex keys, names, sections, one to
// four tickets a code), so a code placed by the table never prints smaller than planned.
func TestQRVersionBoundsTheSymbol(t *testing.T) {
	for n := 1; n <= MaxSeatsPerTicket; n++ {
		for _, named := range []bool{false, true} {
			tickets := worstPurchase(t)[:n]
			for i := range tickets {
				if !named {
					tickets[i].CustomerName = nil
				}
				if i%2 == 1 {
					tickets[i].Seat = ledger.Seat{Number: 100 + i, Letter: "B"}
				}
			}
			texts, err := QRTexts(tickets, n)
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range texts {
				got, ok := VersionM(text)
				q, qerr := qrcode.New(text, qrcode.Medium)
				if !ok || qerr != nil {
					t.Fatalf("%d bytes: %v / %v", len(text), ok, qerr)
				}
				if got < q.VersionNumber {
					t.Errorf("%s: table version %d, go-qrcode builds %d", fmt.Sprintf("%d tickets, named %v, %d bytes", n, named, len(text)), got, q.VersionNumber)
				}
			}
		}
	}
}

// BenchmarkPrintableQRTexts is the grouping a purchase pays for: it must not build the
// symbols (see VersionM).
func BenchmarkPrintableQRTexts(b *testing.B) {
	tickets := worstPurchase(b)[:2]
	for b.Loop() {
		if _, _, err := PrintableQRTexts(tickets, MaxSeatsPerTicket, LayoutA6); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPrintableQRTexts checks the grouping: the request's tickets per QR when the codes
// print with modules of MinModuleMM, fewer otherwise, never more than asked.
func TestPrintableQRTexts(t *testing.T) {
	worst := worstPurchase(t)
	plain := issuedSeats(t, 9)
	for _, tc := range []struct {
		name    string
		tickets []IssuedTicket
		perQR   int
		layout  Layout
		wantPer int
	}{
		{"WorstA4", worst, 0, LayoutA4, 4},
		{"WorstA6", worst, 0, LayoutA6, 2},
		{"WorstA6AskedFour", worst, 4, LayoutA6, 2},
		{"WorstA6AskedOne", worst, 1, LayoutA6, 1},
		{"PlainA4", plain, 0, LayoutA4, 4},
		{"PlainA6", plain, 0, LayoutA6, 4},
		{"PlainA6AskedThree", plain, 3, LayoutA6, 3},
		{"OutOfRange", plain, 9, LayoutA4, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			texts, per, err := PrintableQRTexts(tc.tickets, tc.perQR, tc.layout)
			if err != nil || per != tc.wantPer {
				t.Fatalf("%d per QR, %v; want %d", per, err, tc.wantPer)
			}
			if want := (len(tc.tickets) + per - 1) / per; len(texts) != want {
				t.Errorf("%d texts, want %d", len(texts), want)
			}
			for i, text := range texts {
				if mm, err := ModuleMM(tc.layout, text); err != nil || mm < MinModuleMM {
					t.Errorf("code %d: modules of %.3f mm (%v)", i+1, mm, err)
				}
			}
		})
	}
}

// issuedSeats returns n tickets of seats 1A, 2A, ... without names.
func issuedSeats(tb testing.TB, n int) []IssuedTicket {
	out := make([]IssuedTicket, n)
	for i := range out {
		out[i] = IssuedTicket{Seat: ledger.Seat{Number: i + 1, Letter: "A"},
			Secret: SecretKeys{Plaintext: randomSecret(tb), Key: randomHex(tb, 32), IV: randomHex(tb, 16)}}
	}
	return out
}

// worstPurchase returns 4 tickets of 40-character sections under the identity policy
// (name keys): the longest QR text a 4-ticket purchase can have.
func worstPurchase(tb testing.TB) []IssuedTicket {
	tb.Helper()
	out := make([]IssuedTicket, 4)
	for i := range out {
		seat := ledger.Seat{Section: fmt.Sprintf("Upper Circle Balcony Left Side Block %03d", i), Letter: "ZZZ", Number: 9990 + i}
		if len(seat.Section) != ledger.MaxSectionLen {
			tb.Fatalf("section %q is %d bytes, want %d", seat.Section, len(seat.Section), ledger.MaxSectionLen)
		}
		out[i] = IssuedTicket{Seat: seat, Price: 4500,
			Secret:       SecretKeys{Plaintext: randomSecret(tb), Key: randomHex(tb, 32), IV: randomHex(tb, 16)},
			CustomerName: &NameKeys{Key: randomHex(tb, 32), IV: randomHex(tb, 16)}}
	}
	return out
}

// randomHex returns n pseudo-random bytes as 2n hex digits, the same on every run.
func randomHex(tb testing.TB, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(testRand.Uint32())
	}
	return hex.EncodeToString(b)
}

// randomSecret returns a 15-character secret like the issuer's.
func randomSecret(tb testing.TB) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := make([]byte, 15)
	for i := range b {
		b[i] = alphabet[testRand.IntN(len(alphabet))]
	}
	return string(b)
}

// testRand is the tests' pseudo-random source, fixed so that a failure reproduces.
var testRand = rand.New(rand.NewPCG(11, 12))
