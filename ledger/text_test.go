package ledger_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestCheckText: control and invisible characters are refused with a sentence naming
// the field and the character; ordinary text in any script passes.
func TestCheckText(t *testing.T) {
	for _, ok := range []string{"", "Hall", "Zoë Łukasiewicz-Ødegård", "Ελένη", "Дмитрий", "北門", "עברית", "🎭 Gala", "a b"} {
		if err := ledger.CheckText("Venue", ok); err != nil {
			t.Errorf("CheckText(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"a\x00b", "\t", "line\nbreak", "\r", "\x1b[31m", "\x7f", "\u0085", "\u009b",
		"evil\u202etxt.exe", "\u202a", "\u2066x\u2069", "\u200e", "\u061c", "zero\u200bwidth", "\u200c", "\u200d", "\u2060", "\ufeffBOM",
		"\u2028", "bad\xffutf8"} {
		err := ledger.CheckText("Venue", bad)
		if ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("CheckText(%q) = %v, want EINVALID", bad, err)
			continue
		}
		if msg := ledger.ErrorMessage(err); !strings.HasPrefix(msg, "Venue must ") || !utf8.ValidString(msg) || strings.ContainsAny(msg, "\x00\u202e") {
			t.Errorf("CheckText(%q) says %q: want a sentence about the venue, without the character itself", bad, msg)
		}
	}
}

// TestValidationsRefuseInvisibleText: every text a ledger validation reads goes through
// the check.
func TestValidationsRefuseInvisibleText(t *testing.T) {
	bad := "North\x00"
	detail := func(f func(*ledger.SaleDetails)) error {
		d := goodDetails()
		f(&d)
		_, err := ledger.SalePrices(seats(t, "1A"), prices(t, "1A", 10), d, saleHeight, saleNow)
		return err
	}
	for name, err := range map[string]error{
		"venue":     ledger.ValidateContract(bad, seats(t, "1A")),
		"section":   ledger.ValidateContract("Hall", []ledger.Seat{{Section: "Stalls\u200b", Number: 1}}),
		"name":      detail(func(d *ledger.SaleDetails) { d.Name = "Ham\u202elet" }),
		"organiser": detail(func(d *ledger.SaleDetails) { d.Organiser = bad }),
		"currency":  detail(func(d *ledger.SaleDetails) { d.Currency = "EU\x00" }),
		"time zone": detail(func(d *ledger.SaleDetails) { d.TimeZone = "UTC\x00" }),
		"sender":    ledger.ValidateSender("alice\x00@example.com"),
		"customer":  ledger.ValidateCustomerName("Zoë\u2066"),
	} {
		if ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("%s with an invisible character: %v, want EINVALID", name, err)
		}
	}
}

// FuzzCheckText: no input panics; accepted text is valid UTF-8 without a control
// character, and a refusal is EINVALID with a valid UTF-8 sentence.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"Hall", "a\x00b", "\u202e", "Zoë", "\xff", "\u200d", "\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ledger.CheckText("Name", s)
		if err == nil {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }) {
				t.Fatalf("CheckText accepted %q", s)
			}
			return
		}
		if ledger.ErrorCode(err) != ledger.EINVALID || !utf8.ValidString(ledger.ErrorMessage(err)) {
			t.Fatalf("CheckText(%q) = %v", s, err)
		}
	})
}

// TestSeatsDifferingOnlyInCase: 1A and 1a (or Stalls/1A and stalls/1A) in one contract
// are refused in words; the same letters in different rows are fine.
func TestSeatsDifferingOnlyInCase(t *testing.T) {
	for _, pair := range [][2]ledger.Seat{{{Number: 1, Letter: "A"}, {Number: 1, Letter: "a"}},
		{{Section: "Stalls", Number: 1, Letter: "A"}, {Section: "stalls", Number: 1, Letter: "A"}}} {
		err := ledger.ValidateContract("Hall", pair[:])
		if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), "differ only in upper and lower case") {
			t.Errorf("%v and %v: %v, want a refusal saying they differ only in case", pair[0], pair[1], err)
		}
	}
	if err := ledger.ValidateContract("Hall", seats(t, "1A", "2a", "1B")); err != nil {
		t.Errorf("1A, 2a, 1B: %v", err)
	}
}

// TestSaleTimesBounded: a show time or end of sale near the int64 limit is refused with
// the limit in words.
func TestSaleTimesBounded(t *testing.T) {
	const maxInt64 = 1<<63 - 1
	for name, f := range map[string]func(*ledger.SaleDetails){
		"time":          func(d *ledger.SaleDetails) { d.Time = maxInt64 },
		"time 2200":     func(d *ledger.SaleDetails) { d.Time = 7258118400 },
		"end of sale":   func(d *ledger.SaleDetails) { d.EndOfSale = maxInt64 },
		"end far ahead": func(d *ledger.SaleDetails) { d.EndOfSale = saleHeight + ledger.MaxSaleBlocks + 1 },
	} {
		d := goodDetails()
		f(&d)
		_, err := ledger.SalePrices(seats(t, "1A"), prices(t, "1A", 10), d, saleHeight, saleNow)
		if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), "at most") && !strings.Contains(ledger.ErrorMessage(err), "before the year") {
			t.Errorf("%s: %v, want a refusal naming the limit", name, err)
		}
	}
	d := goodDetails()
	d.EndOfSale = saleHeight + ledger.MaxSaleBlocks
	d.Time = 7258118399
	if _, err := ledger.SalePrices(seats(t, "1A"), prices(t, "1A", 10), d, saleHeight, saleNow); err != nil {
		t.Errorf("a sale at the limits: %v", err)
	}
}
