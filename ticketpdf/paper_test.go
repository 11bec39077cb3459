package ticketpdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf/pdf"
)

// What a ticket must be once printed: codes whose modules are at least issuer.MinModuleMM, read
// by zbarimg at 100 dpi and by our decoder at 72 dpi; "code 1 of 2" on each page of a
// purchase of several codes; dates, never "in about 2 hours"; long titles wrapped whole.

// worstPurchase returns 4 tickets of 40-character sections under the identity policy
// (name keys): the longest QR text a 4-ticket purchase can have.
func worstPurchase(tb testing.TB) []issuer.IssuedTicket {
	tb.Helper()
	out := make([]issuer.IssuedTicket, 4)
	for i := range out {
		seat := ledger.Seat{Section: fmt.Sprintf("Upper Circle Balcony Left Side Block %03d", i), Letter: "ZZZ", Number: 9990 + i}
		if len(seat.Section) != ledger.MaxSectionLen {
			tb.Fatalf("section %q is %d bytes, want %d", seat.Section, len(seat.Section), ledger.MaxSectionLen)
		}
		out[i] = issuer.IssuedTicket{Seat: seat, Price: 4500,
			Secret:       issuer.SecretKeys{Plaintext: randomSecret(tb), Key: randomHex(tb, 32), IV: randomHex(tb, 16)},
			CustomerName: &issuer.NameKeys{Key: randomHex(tb, 32), IV: randomHex(tb, 16)}}
	}
	return out
}

// printedCodes lays out the tickets grouped for the layout as Printed does: one page per
// code, numbered when there are several.
func printedCodes(tb testing.TB, tickets []issuer.IssuedTicket, layout issuer.Layout) []PrintedTicket {
	tb.Helper()
	texts, per, err := issuer.PrintableQRTexts(tickets, issuer.MaxSeatsPerTicket, layout)
	if err != nil {
		tb.Fatal(err)
	}
	pages := make([]PrintedTicket, len(texts))
	for i, text := range texts {
		pg := newPrintedTicket(tb, 1, purchaserNames[0])
		pg.QRText, pg.Seats = text, nil
		for _, it := range tickets[i*per : min((i+1)*per, len(tickets))] {
			pg.Seats = append(pg.Seats, PrintedSeat{Seat: it.Seat, Price: it.Price})
		}
		if len(texts) > 1 {
			pg.Code, pg.Codes = i+1, len(texts)
		}
		pages[i] = pg
	}
	return pages
}

// TestWorstCaseCodesPrint prints the worst 4-ticket purchase on A4 (one code) and A6 (two
// codes of two), checks in the PDF's own geometry that every module is at least
// issuer.MinModuleMM, and reads every code back with zbarimg at 100 dpi and with our decoder at
// 72 dpi.
func TestWorstCaseCodesPrint(t *testing.T) {
	tickets := worstPurchase(t)
	for layout, wantCodes := range map[issuer.Layout]int{issuer.LayoutA4: 1, issuer.LayoutA6: 2} {
		t.Run(layout.String(), func(t *testing.T) {
			pages := printedCodes(t, tickets, layout)
			if len(pages) != wantCodes {
				t.Fatalf("%d codes for 4 tickets on %s, want %d", len(pages), layout, wantCodes)
			}
			pdf := mustWritePDF(t, layout, pages)
			for i, mm := range pdfModuleSizes(t, pdf) {
				t.Logf("code %d: %d bytes, modules of %.3f mm", i+1, len(pages[i].QRText), mm)
				if mm < issuer.MinModuleMM {
					t.Errorf("code %d prints with %.3f mm modules, want at least %.1f", i+1, mm, issuer.MinModuleMM)
				}
			}
			for i, page := range rasterize(t, pdf, 100) {
				if got := zbarTexts(t, page); len(got) != 1 || got[0] != pages[i].QRText {
					t.Errorf("zbarimg at 100 dpi read %.40q on page %d", got, i+1)
				}
			}
			for i, page := range rasterize(t, pdf, 72) {
				img := readPNG(t, page)
				if got, err := qrdecode.Decode(img); err != nil || got != pages[i].QRText {
					t.Errorf("our decoder at 72 dpi read %.40q, %v on page %d", got, err, i+1)
				}
			}
		})
	}
}

// qrTransform matches the transformation the QR is drawn under: one module wide and high,
// in points.
var qrTransform = regexp.MustCompile(`q 0 g ([0-9.]+) 0 0 -([0-9.]+) [0-9.]+ [0-9.]+ cm\n`)

// pdfModuleSizes reads the PDF file's page content streams and returns, page by page, the
// width in mm of a QR module as the page draws it.
func pdfModuleSizes(tb testing.TB, file string) []float64 {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	var sizes []float64
	for _, m := range regexp.MustCompile(`(?s)stream\n(.*?)\nendstream`).FindAllSubmatch(data, -1) {
		z, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			tb.Fatalf("a stream does not inflate: %v", err)
		}
		content, err := io.ReadAll(z)
		if err != nil {
			tb.Fatal(err)
		}
		for _, cm := range qrTransform.FindAllSubmatch(content, -1) {
			w, _ := strconv.ParseFloat(string(cm[1]), 64)
			h, _ := strconv.ParseFloat(string(cm[2]), 64)
			if w != h {
				tb.Errorf("QR modules of %g x %g pt are not square", w, h)
			}
			sizes = append(sizes, w/pdf.PointsPerMM)
		}
	}
	if len(sizes) == 0 {
		tb.Fatal("no QR code found in the PDF's pages")
	}
	return sizes
}

// TestWritePDFRefusesSmallModules checks that a code that would print under issuer.MinModuleMM
// is refused with a sentence, and nothing written.
func TestWritePDFRefusesSmallModules(t *testing.T) {
	texts, err := issuer.QRTexts(worstPurchase(t), issuer.MaxSeatsPerTicket)
	if err != nil {
		t.Fatal(err)
	}
	tk := newPrintedTicket(t, 4, purchaserNames[0])
	tk.QRText = texts[0]
	var buf bytes.Buffer
	err = WritePDF(&buf, issuer.LayoutA6, []PrintedTicket{tk})
	if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(err.Error(), "mm modules on A6") {
		t.Fatalf("error %v, want EINVALID naming the module size", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes", buf.Len())
	}
	if err := WritePDF(&buf, issuer.LayoutA4, []PrintedTicket{tk}); err != nil {
		t.Errorf("the same code on A4: %v", err)
	}
}

// TestPrintedCodeNumbers prints a purchase of two codes from Printed: each page says
// which code it carries; a purchase of one code says nothing of codes.
func TestPrintedCodeNumbers(t *testing.T) {
	tickets := worstPurchase(t)
	c, clock := printContract(t)
	for layout, want := range map[issuer.Layout][]string{issuer.LayoutA6: {"code 1 of 2", "code 2 of 2"}, issuer.LayoutA4: {""}} {
		texts, per, err := issuer.PrintableQRTexts(tickets, 0, layout)
		if err != nil {
			t.Fatal(err)
		}
		p := issuer.Purchase{Contract: c.Address, TransactionHash: randomHex(t, 32), Sender: "ann", CustomerName: "Ann Lee",
			Tickets: tickets, QR: texts, TicketsPerQR: per}
		printed, err := Printed(p, c, clock)
		if err != nil {
			t.Fatal(err)
		}
		pages := pdfPageTexts(t, mustWritePDF(t, layout, printed))
		if len(pages) != len(want) {
			t.Fatalf("%s: %d pages, want %d", layout, len(pages), len(want))
		}
		for i, text := range pages {
			text = strings.ToLower(text)
			if want[i] == "" && strings.Contains(text, "code 1 of") {
				t.Errorf("%s: the page of a one-code purchase numbers its code:\n%s", layout, text)
			}
			if !strings.Contains(text, want[i]) {
				t.Errorf("%s page %d lacks %q:\n%s", layout, i+1, want[i], text)
			}
		}
	}
}

// printContract is a contract with an active sale, as Printed reads it, and its clock.
func printContract(tb testing.TB) (ledger.Contract, ledger.Clock) {
	clock := ledger.Clock{Genesis: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Interval: time.Minute}
	show := time.Date(2026, 3, 14, 19, 30, 0, 0, berlin(tb))
	return ledger.Contract{Address: "0x" + randomHex(tb, 20), Venue: "Staatsoper",
		Rules: ledger.Rules{ReleaseFee: 200, NoReleaseBlocks: 60},
		Sale: &ledger.Sale{Active: true, Details: ledger.SaleDetails{Name: "The Magic Flute", Organiser: "Staatsoper",
			Time: show.Unix(), EndOfSale: 20000, Currency: "EUR", TimeZone: "Europe/Berlin"}}}, clock
}

// relativeTime matches words that count from the moment of printing.
var relativeTime = regexp.MustCompile(`(?i)\b(in about|in less than|ago|from now|tomorrow|today|hours?|minutes?|days?)\b`)

// TestPaperShowsDatesOnly prints a ticket refundable for 2 more hours: the page names the
// deadline's date and time, and no time counted from the printing.
func TestPaperShowsDatesOnly(t *testing.T) {
	tk := newPrintedTicket(t, 1, "")
	tk.ReleaseDeadline = tk.Now.Add(2 * time.Hour)
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		text := pdfPageTexts(t, mustWritePDF(t, layout, []PrintedTicket{tk}))[0]
		if m := relativeTime.FindString(text); m != "" {
			t.Errorf("%s: the page says %q, relative to when it was printed:\n%s", layout, m, text)
		}
		if want := "Refundable until Tue 10 Mar 2026, 14:00 CET (UTC+01:00); release fee EUR 2.00."; !strings.Contains(text, want) {
			t.Errorf("%s: the page lacks %q:\n%s", layout, want, text)
		}
	}
}

// TestLongTitlesWrap prints a 150-character show name, a long organiser and a long venue:
// each wraps, and every word of each is on the page, none cut short.
func TestLongTitlesWrap(t *testing.T) {
	tk := newPrintedTicket(t, 2, purchaserNames[1])
	tk.ShowName = "Der Ring des Nibelungen: a stage festival play for three days and a preliminary evening, in a new production with the full orchestra and chorus, 2026!"
	tk.Organiser = "Bayreuther Festspiele GmbH with the Friends of the Festival and the Free State of Bavaria, Department of Culture"
	tk.Venue = "Richard-Wagner-Festspielhaus, Festspielhügel 1, 95445 Bayreuth, Upper Franconia, Bavaria, Germany"
	if n := len([]rune(tk.ShowName)); n != 150 {
		t.Fatalf("the show name has %d characters, want 150", n)
	}
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		pdf := mustWritePDF(t, layout, []PrintedTicket{tk})
		words := strings.Fields(pdfPageTexts(t, pdf)[0])
		for _, title := range []string{tk.ShowName, tk.Organiser, tk.Venue} {
			checkWordsInOrder(t, layout, title, words)
		}
		if got := zbarTexts(t, rasterize(t, pdf, 150)[0]); len(got) != 1 || got[0] != tk.QRText {
			t.Errorf("%s: zbarimg read %.40q beside the long titles", layout, got)
		}
	}
}

// checkWordsInOrder checks that the words of title appear one after another in the
// page's words, as wrapped lines give them.
func checkWordsInOrder(t *testing.T, layout issuer.Layout, title string, page []string) {
	t.Helper()
	want := strings.Fields(title)
	for start := range page {
		n := 0
		for n < len(want) && start+n < len(page) && page[start+n] == want[n] {
			n++
		}
		if n == len(want) {
			return
		}
	}
	t.Errorf("%s: the page does not print %q whole; its words:\n%s", layout, title, strings.Join(page, " "))
}
