package ticketpdf_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/golden"
	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// goldenNow is when the golden tickets are printed.
var goldenNow = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

// goldenContract is the contract of the golden tickets: a sale in London whose releases
// stop two blocks before its end.
func goldenContract() ledger.Contract {
	show := time.Date(2030, 12, 24, 19, 30, 0, 0, time.UTC).Unix()
	return ledger.Contract{Address: "CGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnpL", Venue: "Ticketbooth Theatre", SeatCount: 8,
		Rules: ledger.Rules{ReleaseFee: 500, NoReleaseBlocks: 2, RequireIdentityVerification: true},
		Sale: &ledger.Sale{Number: 1, Active: true, Details: ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Players",
			Time: show, EndOfSale: 1_000_000, Currency: "EUR", TimeZone: "Europe/London"}}}
}

// goldenClock starts at 2030-01-01 with blocks of 16 s.
var goldenClock = ledger.Clock{Genesis: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Interval: 16 * time.Second}

// goldenPurchase is a fixed purchase of the seats, named when name is given, with its
// codes grouped for the layout at most perQR tickets a code.
func goldenPurchase(t *testing.T, layout issuer.Layout, perQR int, name string, seats ...string) issuer.Purchase {
	t.Helper()
	p := issuer.Purchase{Contract: goldenContract().Address, Height: 10, Sender: "customer-4711", CustomerName: name,
		TransactionHash: "8f4b59298b2fdd1d174a0df2b42059280810ad1dba3f409746c9425f337beec4",
		Holder:          "CagsSPRZsvUYySUxGDy46zUVqVBvCzwUNL"}
	for i, text := range seats {
		seat, err := ledger.ParseSeat(text)
		if err != nil {
			t.Fatal(err)
		}
		tk := issuer.IssuedTicket{Seat: seat, Price: int64(2500 + 1000*i), Secret: issuer.SecretKeys{
			Plaintext: fmt.Sprintf("Secret%d-abcdefg", i), Key: strings.Repeat(fmt.Sprintf("%x", i+1), 64), IV: strings.Repeat("0f", 16)}}
		if name != "" {
			tk.CustomerName = &issuer.NameKeys{Key: strings.Repeat("cd", 32), IV: strings.Repeat("ab", 16)}
		}
		p.Tickets = append(p.Tickets, tk)
		p.Total += tk.Price
	}
	var err error
	if p.QR, p.TicketsPerQR, err = issuer.PrintableQRTexts(p.Tickets, perQR, layout); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGoldenPDFText checks the text of fixed tickets, printed at a fixed time, against
// testdata/*.golden as pdftotext (poppler-utils) reads it, with pdfinfo's page count and
// size: every word on the page stays as it is unless the golden file changes with it.
func TestGoldenPDFText(t *testing.T) {
	named := "Zoë Łukasiewicz-Ødegård"
	for _, tc := range []struct {
		name      string
		layout    issuer.Layout
		perQR     int
		purchaser string
		seats     []string
		contract  func(ledger.Contract) ledger.Contract
	}{
		{"pdf_a4_named", issuer.LayoutA4, 2, named, []string{"1A", "1B", "Stalls/12C"}, nil},
		{"pdf_a6_stock", issuer.LayoutA6, 1, "", []string{"2A", "B"}, func(c ledger.Contract) ledger.Contract {
			c.Rules = ledger.Rules{} // no identity policy; releases until the sale ends
			c.Sale.Details.Currency, c.Sale.Details.TimeZone = "JPY", "Asia/Tokyo"
			return c
		}},
		{"pdf_a4_refund_ended", issuer.LayoutA4, 0, "", []string{"4B"}, func(c ledger.Contract) ledger.Contract {
			c.Rules = ledger.Rules{ReleaseFee: 100, NoReleaseBlocks: 999_000}
			return c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := goldenContract()
			if tc.contract != nil {
				c = tc.contract(c)
			}
			printed, err := ticketpdf.Printed(goldenPurchase(t, tc.layout, tc.perQR, tc.purchaser, tc.seats...), c, goldenClock)
			if err != nil {
				t.Fatal(err)
			}
			for i := range printed {
				printed[i].Now = goldenNow
			}
			var pdf bytes.Buffer
			if err := ticketpdf.WritePDF(&pdf, tc.layout, printed); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.name, []byte(pdfText(t, pdf.Bytes())))
		})
	}
}

// pdfText returns pdfinfo's pages and page size, then the text of each page as
// pdftotext reads it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tickets.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command(testtool.Need(t, "pdfinfo", "poppler-utils"), path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	var out strings.Builder
	for _, key := range []string{"Pages", "Page size"} {
		m := regexp.MustCompile(`(?m)^` + key + `:\s*(.*)$`).FindSubmatch(info)
		if m != nil {
			fmt.Fprintf(&out, "%s: %s\n", key, m[1])
		}
	}
	text, err := exec.Command(testtool.Need(t, "pdftotext", "poppler-utils"), "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for i, page := range strings.Split(strings.TrimSuffix(string(text), "\f"), "\f") {
		fmt.Fprintf(&out, "\n--- page %d ---\n%s", i+1, page)
	}
	return out.String()
}
