package ticketpdf

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the tests print Europe/Berlin times on any machine

	"github.com/makiuchi-d/gozxing"
	"github.com/skip2/go-qrcode"

	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The three purchaser names every layout must print: Latin with diacritics, Greek,
// Cyrillic.
var purchaserNames = []string{"Zoë Łukasiewicz-Ødegård", "Ελένη Παπαδοπούλου", "Дмитрий Шостакович"}

// berlinZone is loaded once: each load makes a new Location of a few kilobytes, too
// many for the tickets of the batch benchmarks.
var berlinZone = sync.OnceValues(func() (*time.Location, error) { return time.LoadLocation("Europe/Berlin") })

// berlin is the show's location in the fixtures.
func berlin(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := berlinZone()
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// newPrintedTicket returns a ticket for n seats at EUR 45.00 each, bought by name, shown
// on Saturday 14 March 2026 at 19:30 in Berlin, refundable for 71 more hours.
func newPrintedTicket(tb testing.TB, n int, name string) PrintedTicket {
	tb.Helper()
	loc := berlin(tb)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, loc)
	seats := stallSeats(n)
	printed := make([]PrintedSeat, n)
	for i, s := range seats {
		printed[i] = PrintedSeat{Seat: s, Price: 4500}
	}
	return PrintedTicket{
		ShowName: "The Magic Flute", Organiser: "Staatsoper Unter den Linden",
		Venue:    "Staatsoper, Unter den Linden 7, Berlin",
		ShowTime: time.Date(2026, 3, 14, 19, 30, 0, 0, loc),
		Seats:    printed, Currency: "EUR", PurchaserName: name,
		ReleaseDeadline: now.Add(71 * time.Hour), ReleaseFee: 200,
		Reference:       "TB-" + strings.ToUpper(randomHex(tb, 2)) + "-" + strings.ToUpper(randomHex(tb, 2)),
		TransactionHash: randomHex(tb, 32),
		QRText:          qrPayload(tb, seats, name != ""),
		Now:             now,
	}
}

// namedTickets returns three tickets bought by the three names, of 1, 3 and 4 seats on
// A4 and of 1, 2 and 2 on A6, where a code of three named tickets would print too small.
func namedTickets(tb testing.TB, layout issuer.Layout) []PrintedTicket {
	seats := map[issuer.Layout][3]int{issuer.LayoutA4: {1, 3, 4}, issuer.LayoutA6: {1, 2, 2}}[layout]
	return []PrintedTicket{
		newPrintedTicket(tb, seats[0], purchaserNames[0]),
		newPrintedTicket(tb, seats[1], purchaserNames[1]),
		newPrintedTicket(tb, seats[2], purchaserNames[2]),
	}
}

// mustWritePDF writes the tickets to a PDF file in a temporary directory.
func mustWritePDF(tb testing.TB, layout issuer.Layout, tickets []PrintedTicket) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := WritePDF(&buf, layout, tickets); err != nil {
		tb.Fatalf("WritePDF: %v", err)
	}
	file := filepath.Join(tb.TempDir(), "tickets.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	return file
}

// rasterize renders every page of the PDF to PNG at dpi with pdftoppm and returns the
// page files in order.
func rasterize(tb testing.TB, pdf string, dpi int) []string {
	tb.Helper()
	pdftoppm := testtool.Need(tb, "pdftoppm", "poppler-utils")
	prefix := filepath.Join(tb.TempDir(), "page")
	if out, err := exec.Command(pdftoppm, "-r", strconv.Itoa(dpi), "-png", pdf, prefix).CombinedOutput(); err != nil {
		tb.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pages, err := filepath.Glob(prefix + "-*.png")
	if err != nil || len(pages) == 0 {
		tb.Fatalf("pdftoppm made no page: %v", err)
	}
	return pages // names are zero-padded to one width, so sorted order is page order
}

// pdfPageTexts extracts the text of each page with pdftotext.
func pdfPageTexts(tb testing.TB, pdf string) []string {
	tb.Helper()
	pdftotext := testtool.Need(tb, "pdftotext", "poppler-utils")
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
}

// pdfInfo returns pdfinfo's value for key, e.g. "Pages".
func pdfInfo(tb testing.TB, pdf, key string) string {
	tb.Helper()
	pdfinfo := testtool.Need(tb, "pdfinfo", "poppler-utils")
	out, err := exec.Command(pdfinfo, pdf).Output()
	if err != nil {
		tb.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `:\s*(.*)$`).FindSubmatch(out)
	if m == nil {
		tb.Fatalf("pdfinfo has no %s in %s", key, out)
	}
	return strings.TrimSpace(string(m[1]))
}

func readPNG(tb testing.TB, file string) image.Image {
	tb.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	return img
}

// TestWritePDFReadBack prints the three names in each layout, rasterizes each page at
// 150 dpi and reads the QR back with zbarimg and gozxing, and checks the page text.
func TestWritePDFReadBack(t *testing.T) {
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		t.Run(layout.String(), func(t *testing.T) {
			tickets := namedTickets(t, layout)
			pdf := mustWritePDF(t, layout, tickets)
			if got := pdfInfo(t, pdf, "Pages"); got != "3" {
				t.Fatalf("pdfinfo Pages: %s, want 3", got)
			}
			pages := rasterize(t, pdf, 150)
			texts := pdfPageTexts(t, pdf)
			if len(pages) != 3 || len(texts) != 3 {
				t.Fatalf("%d page images and %d page texts, want 3", len(pages), len(texts))
			}
			for i := range tickets {
				checkPageQR(t, layout, pages[i], &tickets[i])
				checkPageText(t, texts[i], &tickets[i])
			}
		})
	}
}

// checkPageQR reads the page's QR with zbarimg on the whole page and with gozxing on the
// QR's place, and checks its printed size and quiet zone.
func checkPageQR(t *testing.T, layout issuer.Layout, page string, tk *PrintedTicket) {
	t.Helper()
	if got := zbarTexts(t, page); len(got) != 1 || got[0] != tk.QRText {
		t.Fatalf("%s: zbarimg read %q, want %q", filepath.Base(page), got, tk.QRText)
	}
	img := cropQR(readPNG(t, page), layout, 150)
	res := zxingDecode(t, img)
	if res.GetText() != tk.QRText {
		t.Fatalf("%s: gozxing read %q, want %q", filepath.Base(page), res.GetText(), tk.QRText)
	}
	q, err := qrcode.New(tk.QRText, DefaultRecovery)
	if err != nil {
		t.Fatal(err)
	}
	n := 17 + 4*q.VersionNumber
	module := finderSpan(res) / float64(n-7) // pixels per module on the page
	widthMM := module * float64(n) / 150 * 25.4
	minMM := map[issuer.Layout]float64{issuer.LayoutA4: 55, issuer.LayoutA6: 40}[layout]
	if widthMM < minMM {
		t.Errorf("%s: QR symbol %.1f mm wide, want at least %.0f mm", filepath.Base(page), widthMM, minMM)
	}
	checkQuietZone(t, img, res, module)
}

// cropQR cuts the layout's QR square, with 3 mm around it, out of a page rasterized at
// dpi: what a phone aimed at the code sees. gozxing, unlike zbarimg, may take text on a
// whole page for finder patterns.
func cropQR(page image.Image, layout issuer.Layout, dpi float64) image.Image {
	box := qrBoxes[layout]
	px := func(mm float64) int { return int(mm / 25.4 * dpi) }
	r := image.Rect(px(box.x-3), px(box.y-3), px(box.x+box.side+3), px(box.y+box.side+3))
	crop := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(crop, crop.Bounds(), page, r.Min, draw.Src)
	return crop
}

// finderSpan is the distance in pixels between the centres of the top-left and top-right
// finder patterns, (size-7) modules.
func finderSpan(res *gozxing.Result) float64 {
	p := res.GetResultPoints() // bottom-left, top-left, top-right finder centres
	return math.Hypot(p[2].GetX()-p[1].GetX(), p[2].GetY()-p[1].GetY())
}

// checkQuietZone checks that a band of four modules around the symbol is white.
func checkQuietZone(t *testing.T, img image.Image, res *gozxing.Result, module float64) {
	t.Helper()
	p := res.GetResultPoints()
	left, top := p[1].GetX()-3.5*module, p[1].GetY()-3.5*module
	right := p[2].GetX() + 3.5*module
	bottom := p[0].GetY() + 3.5*module
	margin := 4 * module
	for y := int(top - margin + 1); y < int(bottom+margin-1); y++ {
		for x := int(left - margin + 1); x < int(right+margin-1); x++ {
			inside := float64(x) > left-1 && float64(x) < right+1 && float64(y) > top-1 && float64(y) < bottom+1
			if !inside && isDark(img, x, y) {
				t.Fatalf("dark pixel (%d,%d) in the quiet zone around (%.0f,%.0f)-(%.0f,%.0f)", x, y, left, top, right, bottom)
			}
		}
	}
}

func checkPageText(t *testing.T, text string, tk *PrintedTicket) {
	t.Helper()
	want := []string{tk.PurchaserName, tk.ShowName, tk.Organiser, tk.Venue, tk.Reference, tk.TransactionHash,
		"Saturday 14 March 2026", "19:30 CET (UTC+01:00)",
		"Refundable until Fri 13 Mar 2026, 11:00 CET (UTC+01:00); release fee EUR 2.00."}
	for _, s := range tk.Seats {
		want = append(want, s.Seat.String())
	}
	if len(tk.Seats) == 1 {
		want = append(want, "EUR 45.00")
	} else {
		want = append(want, fmt.Sprintf("EUR %d.00", 45*len(tk.Seats)), "ADMITS "+strconv.Itoa(len(tk.Seats)))
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("page text lacks %q:\n%s", w, text)
		}
	}
	if !strings.Contains(strings.ToLower(text), "bring a matching id") {
		t.Errorf("page of a named ticket lacks \"bring a matching ID\":\n%s", text)
	}
}

// TestWritePDFPages checks one page per ticket, the page sizes, and that the QR is drawn
// as vectors, not as an image that could blur.
func TestWritePDFPages(t *testing.T) {
	var tickets []PrintedTicket
	for range 7 {
		tickets = append(tickets, newPrintedTicket(t, 1, ""))
	}
	for layout, wantSize := range map[issuer.Layout]string{issuer.LayoutA4: "595.28 x 841.89 pts", issuer.LayoutA6: "419.53 x 297.64 pts"} {
		t.Run(layout.String(), func(t *testing.T) {
			pdf := mustWritePDF(t, layout, tickets)
			if got := pdfInfo(t, pdf, "Pages"); got != "7" {
				t.Errorf("Pages: %s, want 7", got)
			}
			if got := pdfInfo(t, pdf, "Page size"); !strings.HasPrefix(got, wantSize) {
				t.Errorf("Page size: %s, want %s", got, wantSize)
			}
			pdfimages := testtool.Need(t, "pdfimages", "poppler-utils")
			out, err := exec.Command(pdfimages, "-list", pdf).Output()
			if err != nil {
				t.Fatal(err)
			}
			if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); len(lines) != 2 {
				t.Errorf("the PDF holds images, want none (vector QR):\n%s", out)
			}
		})
	}
}

// TestWritePDFWithoutName checks a ticket sold without the identity policy and without
// a release: no ID line, and "Not refundable".
func TestWritePDFWithoutName(t *testing.T) {
	tk := newPrintedTicket(t, 2, "")
	tk.ReleaseDeadline = time.Time{}
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		text := pdfPageTexts(t, mustWritePDF(t, layout, []PrintedTicket{tk}))[0]
		if strings.Contains(strings.ToLower(text), "matching id") || strings.Contains(text, "PURCHASER") {
			t.Errorf("%s: ticket without a name asks for an ID:\n%s", layout, text)
		}
		if !strings.Contains(text, "Not refundable") || strings.Contains(text, "Refundable until") {
			t.Errorf("%s: ticket without a release deadline does not say Not refundable:\n%s", layout, text)
		}
	}
}

// TestWritePDFUnusualText prints text the fonts cannot draw and text too long for its
// place: no error and no panic, missing characters print as '?', long text is cut.
func TestWritePDFUnusualText(t *testing.T) {
	tk := newPrintedTicket(t, 1, "Anna 😀 Berg\n東京\x00\xff")
	tk.ShowName = strings.Repeat("A very long show name ", 30)
	tk.Venue = "Tab\there"
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		pdf := mustWritePDF(t, layout, []PrintedTicket{tk})
		text := pdfPageTexts(t, pdf)[0]
		for _, want := range []string{"Anna ? Berg ??", "Tab here", "A very long show name A very"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: text lacks %q:\n%s", layout, want, text)
			}
		}
		if strings.Contains(text, strings.TrimSpace(tk.ShowName)) {
			t.Errorf("%s: the 660-character show name was printed whole", layout)
		}
		if got := zbarTexts(t, rasterize(t, pdf, 150)[0]); len(got) != 1 || got[0] != tk.QRText {
			t.Errorf("%s: zbarimg read %q", layout, got)
		}
	}
}

// TestWritePDFDeterministic checks that the same tickets give the same bytes.
func TestWritePDFDeterministic(t *testing.T) {
	tickets := namedTickets(t, issuer.LayoutA6)
	var a, b bytes.Buffer
	if err := WritePDF(&a, issuer.LayoutA6, tickets); err != nil {
		t.Fatal(err)
	}
	if err := WritePDF(&b, issuer.LayoutA6, tickets); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two writes of the same tickets differ (%d and %d bytes)", a.Len(), b.Len())
	}
}

func TestWritePDFErrors(t *testing.T) {
	mutate := func(f func(*PrintedTicket)) []PrintedTicket {
		tk := newPrintedTicket(t, 1, "")
		f(&tk)
		return []PrintedTicket{newPrintedTicket(t, 1, ""), tk}
	}
	for name, tc := range map[string]struct {
		layout  issuer.Layout
		tickets []PrintedTicket
	}{
		"ErrNoTickets":     {issuer.LayoutA4, nil},
		"ErrUnknownLayout": {issuer.Layout(7), mutate(func(*PrintedTicket) {})},
		"ErrNoSeat":        {issuer.LayoutA4, mutate(func(tk *PrintedTicket) { tk.Seats = nil })},
		"ErrFiveSeats": {issuer.LayoutA4, mutate(func(tk *PrintedTicket) {
			tk.Seats = append(tk.Seats, tk.Seats[0], tk.Seats[0], tk.Seats[0], tk.Seats[0])
		})},
		"ErrInvalidSeat":    {issuer.LayoutA6, mutate(func(tk *PrintedTicket) { tk.Seats[0].Seat = ledger.Seat{} })},
		"ErrNegativePrice":  {issuer.LayoutA6, mutate(func(tk *PrintedTicket) { tk.Seats[0].Price = -1 })},
		"ErrNegativeFee":    {issuer.LayoutA6, mutate(func(tk *PrintedTicket) { tk.ReleaseFee = -1 })},
		"ErrNoShowTime":     {issuer.LayoutA4, mutate(func(tk *PrintedTicket) { tk.ShowTime = time.Time{} })},
		"ErrEmptyQRText":    {issuer.LayoutA4, mutate(func(tk *PrintedTicket) { tk.QRText = "" })},
		"ErrQRTextTooLong":  {issuer.LayoutA4, mutate(func(tk *PrintedTicket) { tk.QRText = strings.Repeat("x", 2400) })},
		"ErrQRTextTooLong6": {issuer.LayoutA6, mutate(func(tk *PrintedTicket) { tk.QRText = strings.Repeat("é", 1500) })},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WritePDF(&buf, tc.layout, tc.tickets)
			if code := ledger.ErrorCode(err); code != ledger.EINVALID {
				t.Fatalf("error %v (code %q), want code %q", err, code, ledger.EINVALID)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before failing, want none", buf.Len())
			}
		})
	}
}

// failingWriter fails every write.
type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWritePDFWriterFails(t *testing.T) {
	err := WritePDF(failingWriter{}, issuer.LayoutA4, namedTickets(t, issuer.LayoutA4))
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("error %v, want the writer's %v", err, errDiskFull)
	}
}

func TestFormatMoney(t *testing.T) {
	for _, tc := range []struct {
		currency string
		minor    int64
		want     string
	}{
		{"EUR", 4500, "EUR 45.00"},
		{"EUR", 5, "EUR 0.05"},
		{"USD", 123456789, "USD 1234567.89"},
		{"", 1999, "19.99"},
		{"CHF", 0, "CHF 0.00"},
		{"EUR", -250, "EUR -2.50"},
		{"X", math.MinInt64, "X -92233720368547758.08"},
		{"JPY", 4500, "JPY 4500"}, // minor units are the currency's own
		{"KWD", 1250, "KWD 1.250"},
	} {
		if got := formatMoney(tc.currency, tc.minor); got != tc.want {
			t.Errorf("formatMoney(%q, %d) = %q, want %q", tc.currency, tc.minor, got, tc.want)
		}
	}
}

func TestRefundSentence(t *testing.T) {
	tk := newPrintedTicket(t, 1, "")
	utc := tk.ReleaseDeadline.UTC() // printed in the show's zone whatever its own
	tk.ReleaseDeadline, tk.ReleaseFee = utc, 0
	want := "Refundable until Fri 13 Mar 2026, 11:00 CET (UTC+01:00); no release fee."
	if got := refundSentence(&tk, tk.Now); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	want = "Refund period ended Fri 13 Mar 2026, 11:00 CET (UTC+01:00)."
	if got := refundSentence(&tk, tk.Now.Add(80*time.Hour)); got != want {
		t.Errorf("after the deadline: got %q, want %q", got, want)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		purchaserNames[0]: purchaserNames[0],
		purchaserNames[1]: purchaserNames[1],
		purchaserNames[2]: purchaserNames[2],
		"a\tb\nc":         "a b c",
		"bad \xff byte":   "bad   byte",
		"emoji 😀":         "emoji ?",
		"東京":              "??",
		"€ – … ©":         "€ – … ©",
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

var updateDocs = flag.Bool("docs", false, "rewrite docs/ticket-a4.png and docs/ticket-a6.png from the sample tickets")

// TestDocsImages renders one sample page of each layout for the README when run with
// -docs: go test ./ticketpdf -run TestDocsImages -docs
func TestDocsImages(t *testing.T) {
	if !*updateDocs {
		t.Skip("run with -docs to rewrite the README's ticket images")
	}
	secondOfTwo := newPrintedTicket(t, 2, purchaserNames[1]) // a purchase of 4 named seats on A6
	secondOfTwo.Code, secondOfTwo.Codes = 2, 2
	for layout, sample := range map[issuer.Layout]PrintedTicket{
		issuer.LayoutA4: newPrintedTicket(t, 1, purchaserNames[0]),
		issuer.LayoutA6: secondOfTwo,
	} {
		dpi := map[issuer.Layout]int{issuer.LayoutA4: 60, issuer.LayoutA6: 90}[layout]
		page := rasterize(t, mustWritePDF(t, layout, []PrintedTicket{sample}), dpi)[0]
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 100<<10 {
			t.Fatalf("%s image is %d bytes, want under 100 KB", layout, len(b))
		}
		if err := os.WriteFile(filepath.Join("..", "docs", "ticket-"+layout.String()+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWritePDFFonts checks with pdffonts that the three fonts are embedded as subsets
// with a ToUnicode map.
func TestWritePDFFonts(t *testing.T) {
	pdf := mustWritePDF(t, issuer.LayoutA4, namedTickets(t, issuer.LayoutA4))
	pdffonts := testtool.Need(t, "pdffonts", "poppler-utils")
	out, err := exec.Command(pdffonts, pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
	if len(lines) != 3 {
		t.Fatalf("%d fonts, want 3:\n%s", len(lines), out)
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 8 || !strings.Contains(l, "CID TrueType") || strings.Join(f[len(f)-5:len(f)-2], " ") != "yes yes yes" {
			t.Errorf("font not embedded as a subset with ToUnicode: %s", l)
		}
	}
}

// TestMonoSubsetSameForEveryReference: tickets with different references and transaction
// hashes embed the same monospaced font program, so a batch of mails makes it once.
func TestMonoSubsetSameForEveryReference(t *testing.T) {
	var programs []string
	for _, ref := range []string{"TB-0000-1111", "TB-ZYXW-VTS9", "TB-7KQ2-91XA"} {
		tk := newPrintedTicket(t, 1, "")
		tk.Reference, tk.TransactionHash = ref, randomHex(t, 32)
		var b bytes.Buffer
		if err := WritePDF(&b, issuer.LayoutA6, []PrintedTicket{tk}); err != nil {
			t.Fatal(err)
		}
		programs = append(programs, monoFontProgram(t, b.Bytes()))
	}
	for i, p := range programs[1:] {
		if p != programs[0] {
			t.Errorf("reference %d embeds another monospaced font program than the first", i+2)
		}
	}
}

// monoFontProgram returns the monospaced font's embedded program (the stream of its
// /FontFile2 object), as written.
func monoFontProgram(tb testing.TB, doc []byte) string {
	tb.Helper()
	name := regexp.MustCompile(`/FontName /[A-Z]{6}\+GoMono /Flags \d+ .*? /FontFile2 (\d+) 0 R`).FindSubmatch(doc)
	if name == nil {
		tb.Fatal("no GoMono font descriptor")
	}
	obj := regexp.MustCompile(`(?s)\n` + string(name[1]) + ` 0 obj\n.*?stream\n(.*?)\nendstream`).FindSubmatch(doc)
	if obj == nil {
		tb.Fatalf("no font program object %s", name[1])
	}
	return string(obj[1])
}
