package issuer

import (
	"fmt"
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
				got, err := qrVersion(text, DefaultRecovery)
				q, qerr := qrcode.New(text, DefaultRecovery)
				if err != nil || qerr != nil {
					t.Fatalf("%d bytes: %v / %v", len(text), err, qerr)
				}
				if got < q.VersionNumber {
					t.Errorf("%s: table version %d, go-qrcode builds %d", fmt.Sprintf("%d tickets, named %v, %d bytes", n, named, len(text)), got, q.VersionNumber)
				}
			}
		}
	}
}

// BenchmarkPrintableQRTexts is the grouping a purchase pays for: it must not build the
// symbols (see qrVersion).
func BenchmarkPrintableQRTexts(b *testing.B) {
	tickets := worstPurchase(b)[:2]
	for b.Loop() {
		if _, _, err := PrintableQRTexts(tickets, MaxSeatsPerTicket, LayoutA6); err != nil {
			b.Fatal(err)
		}
	}
}
