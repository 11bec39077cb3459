package ledger_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestAmounts(t *testing.T) {
	for _, tt := range []struct {
		currency string
		minor    int64
		text     string
	}{
		{"EUR", 7000, "EUR 70.00"}, {"EUR", 5, "EUR 0.05"}, {"", 1250, "EUR 12.50"}, {"CHF", -250, "CHF -2.50"},
		{"JPY", 1200, "JPY 1200"}, {"KWD", 1250, "KWD 1.250"}, {"KWD", 5, "KWD 0.005"},
	} {
		if got := ledger.FormatAmount(tt.currency, tt.minor); got != tt.text {
			t.Errorf("FormatAmount(%q, %d) = %q, want %q", tt.currency, tt.minor, got, tt.text)
		}
	}
	for _, tt := range []struct {
		currency, text string
		minor          int64
	}{
		{"EUR", "12.50", 1250}, {"EUR", "12", 1200}, {"EUR", "12.5", 1250}, {"EUR", "eur 0.05", 5}, {"", "70", 7000},
		{"JPY", "1200", 1200}, {"KWD", "1.25", 1250}, {"EUR", "0", 0},
	} {
		got, err := ledger.ParseAmount(tt.currency, tt.text)
		if err != nil || got != tt.minor {
			t.Errorf("ParseAmount(%q, %q) = %d, %v; want %d", tt.currency, tt.text, got, err, tt.minor)
		}
	}
	for _, tt := range []struct{ currency, text, want string }{
		{"EUR", "12.505", "at most 2 decimals"}, {"JPY", "12.5", "at most 0 decimals"}, {"EUR", "-1", "write it in EUR"},
		{"EUR", "", "write it in EUR"}, {"EUR", "1e3", "write it in EUR"}, {"EUR", "USD 12", "the sale is in EUR"},
		{"EUR", ".50", "write it in EUR"}, {"EUR", "99999999999999", "write it in EUR"}, {"EUR", "10000000000.01", "at most EUR 10000000000.00"},
	} {
		_, err := ledger.ParseAmount(tt.currency, tt.text)
		if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), tt.want) {
			t.Errorf("ParseAmount(%q, %q) = %v, want EINVALID saying %q", tt.currency, tt.text, err, tt.want)
		}
	}
}

// FuzzParseAmount: any text either is refused as EINVALID or reads as an amount that
// writes back and reads again to itself.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12.50", "EUR 1", "0.001", "1e9", "", " 7 ", "USD 3"} {
		f.Add("EUR", s)
	}
	f.Add("JPY", "1200")
	f.Add("KWD", "1.250")
	f.Fuzz(func(t *testing.T, currency, text string) {
		v, err := ledger.ParseAmount(currency, text)
		if err != nil {
			if ledger.ErrorCode(err) != ledger.EINVALID {
				t.Fatalf("ParseAmount(%q, %q): code %s", currency, text, ledger.ErrorCode(err))
			}
			return
		}
		if v < 0 || v > ledger.MaxPrice {
			t.Fatalf("ParseAmount(%q, %q) = %d out of range", currency, text, v)
		}
		if strings.ContainsAny(strings.TrimSpace(currency), " \t\n\v\f\r\u0085\u00a0") {
			return // a code with a space does not read back as one word
		}
		again, err := ledger.ParseAmount(currency, ledger.FormatAmount(currency, v))
		if err != nil || again != v {
			t.Fatalf("%d written as %q reads back as %d, %v", v, ledger.FormatAmount(currency, v), again, err)
		}
	})
}
