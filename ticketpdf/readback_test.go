package ticketpdf

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"image"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// Every code we print must read at the gate: these tests render realistic purchases the
// way the issuer does and decode them with the gate's decoder, allowing no miss.

const (
	// readbackSeed fixes the payloads, so that a miss reproduces on every run.
	readbackSeed = 20250301
	// readbackPNGs is how many payloads are rendered as PNG, cycling through the module
	// sizes of readbackModules.
	readbackPNGs = 1200
	// readbackPDFTickets is how many are printed, half on A4 and half on A6 (grouped for
	// each by issuer.PrintableQRTexts), and each rasterized at every dpi of readbackDPIs.
	readbackPDFTickets = 200
)

var (
	// readbackModules are pixels per module: 2 is the least a screen shows a code with,
	// 8 what the web page and the API render.
	readbackModules = []int{2, 3, 4, 8}
	// readbackDPIs are the resolutions the PDFs are rasterized at: a screen at 72 dpi (1.4
	// pixels per module of issuer.MinModuleMM), a cheap scan and a print preview.
	readbackDPIs = []int{72, 100, 150}
	// readbackSections are the sections the seats get: none, plain and with non-ASCII
	// letters, as real venues name them.
	readbackSections = []string{"", "", "North", "Stalls", "Balcony 2", "Parkett Süd", "Loge Ost – Rang 1"}
)

// readbackPurchase returns the first code of one random purchase of 1 to 4 seats grouped
// for the layout by issuer.PrintableQRTexts, the issuer's own code, with name keys for about
// half of the purchases, as the ticket to print it on.
func readbackPurchase(tb testing.TB, rng *rand.Rand, layout issuer.Layout) PrintedTicket {
	tb.Helper()
	n := 1 + rng.IntN(issuer.MaxSeatsPerTicket)
	named := rng.IntN(2) == 0
	section := readbackSections[rng.IntN(len(readbackSections))]
	letter := string(rune('A' + rng.IntN(26)))
	first := 1 + rng.IntN(2000)
	issued := make([]issuer.IssuedTicket, n)
	seats := make([]PrintedSeat, n)
	for i := range issued {
		seat := ledger.Seat{Number: first + i, Letter: letter, Section: section}
		issued[i] = issuer.IssuedTicket{Seat: seat, Price: 4500, Secret: issuer.SecretKeys{
			Plaintext: readbackSecret(rng), Key: readbackHex(rng, 32), IV: readbackHex(rng, 16)}}
		if named {
			issued[i].CustomerName = &issuer.NameKeys{Key: readbackHex(rng, 32), IV: readbackHex(rng, 16)}
		}
		seats[i] = PrintedSeat{Seat: seat, Price: 4500}
	}
	texts, per, err := issuer.PrintableQRTexts(issued, issuer.MaxSeatsPerTicket, layout)
	if err != nil || len(texts) != (n+per-1)/per {
		tb.Fatalf("PrintableQRTexts: %d texts of %d tickets, %v", len(texts), per, err)
	}
	return readbackTicket(tb, texts[0], seats[:min(per, n)], named)
}

// readbackTicket is a printed ticket for the seats of one QR text.
func readbackTicket(tb testing.TB, text string, seats []PrintedSeat, named bool) PrintedTicket {
	tk := newPrintedTicket(tb, 1, "")
	tk.Seats, tk.QRText = seats, text
	if named {
		tk.PurchaserName = purchaserNames[len(text)%len(purchaserNames)]
	}
	return tk
}

func readbackHex(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return hex.EncodeToString(b)
}

func readbackSecret(rng *rand.Rand) string {
	b := make([]byte, 15)
	for i := range b {
		b[i] = secretAlphabet[rng.IntN(len(secretAlphabet))]
	}
	return string(b)
}

// readbackPurchases returns n purchases for the layout from the fixed seed.
func readbackPurchases(tb testing.TB, n int, layout issuer.Layout) []PrintedTicket {
	rng := rand.New(rand.NewPCG(readbackSeed, 1))
	out := make([]PrintedTicket, n)
	for i := range out {
		out[i] = readbackPurchase(tb, rng, layout)
	}
	return out
}

// parallel runs fn(i) for i in [0, n) on every core.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// TestEveryPrintedCodeReads renders readbackPNGs purchases with QRPNG at 2, 3, 4 and 8
// pixels per module and prints readbackPDFTickets of them on A4 and A6 tickets
// rasterized at 72, 100 and 150 dpi: the gate's decoder must read every one to its exact
// text.
func TestEveryPrintedCodeReads(t *testing.T) {
	purchases := readbackPurchases(t, readbackPNGs, issuer.LayoutA4)
	t.Run("PNG", func(t *testing.T) { readbackPNG(t, purchases) })
	t.Run("PDF", func(t *testing.T) { readbackPDF(t, readbackPDFTickets/2) })
}

// readbackPNG decodes the purchases rendered by QRPNG, each at the next module size.
func readbackPNG(t *testing.T, purchases []PrintedTicket) {
	start := time.Now()
	var mu sync.Mutex
	misses := map[int]int{}
	parallel(len(purchases), func(i int) {
		px := readbackModules[i%len(readbackModules)]
		text := purchases[i].QRText
		png, err := QRPNG(text, DefaultRecovery, px)
		if err != nil {
			t.Errorf("purchase %d: QRPNG: %v", i, err)
			return
		}
		if got, err := qrdecode.DecodeBytes(png); err != nil || got != text {
			mu.Lock()
			misses[px]++
			mu.Unlock()
			t.Errorf("purchase %d at %d px per module (%d bytes): read %.40q, %v; want %.40q",
				i, px, len(text), got, err, text)
		}
	})
	t.Logf("%d codes decoded in %v, misses per module size: %v", len(purchases), time.Since(start).Round(time.Millisecond), misses)
}

// readbackPDF prints n purchases on A4 and n on A6, rasterizes the PDFs and decodes
// every page.
func readbackPDF(t *testing.T, n int) {
	pdftoppm := testtool.Need(t, "pdftoppm", "poppler-utils")
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		tickets := readbackPurchases(t, n, layout)
		var buf bytes.Buffer
		if err := WritePDF(&buf, layout, tickets); err != nil {
			t.Fatalf("WritePDF %s: %v", layout, err)
		}
		file := filepath.Join(t.TempDir(), "tickets.pdf")
		if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, dpi := range readbackDPIs {
			pages := rasterizeGray(t, pdftoppm, file, dpi)
			readbackPages(t, fmt.Sprintf("%s at %d dpi", layout, dpi), pages, tickets)
		}
	}
}

// rasterizeGray renders every page of the PDF at dpi with pdftoppm as greyscale PGM
// (PNG would spend most of the time compressing) and returns the page files in order.
func rasterizeGray(t *testing.T, pdftoppm, pdf string, dpi int) []string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command(pdftoppm, "-r", strconv.Itoa(dpi), "-gray", pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pages, err := filepath.Glob(prefix + "-*.pgm")
	if err != nil || len(pages) == 0 {
		t.Fatalf("pdftoppm made no page: %v", err)
	}
	return pages // names are zero-padded to one width, so sorted order is page order
}

// readPGM reads a binary greyscale PGM (P5) file of 8-bit samples, as pdftoppm writes.
func readPGM(file string) (*image.Gray, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	r := bytes.NewReader(data)
	var magic string
	var w, h, maxVal int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxVal); err != nil || magic != "P5" || maxVal != 255 || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("%s: not an 8-bit binary PGM (%v)", file, err)
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	if len(data) < len(img.Pix)+1 {
		return nil, fmt.Errorf("%s: %d bytes for %dx%d pixels", file, len(data), w, h)
	}
	copy(img.Pix, data[len(data)-len(img.Pix):])
	return img, nil
}

// readbackPages decodes the page images, one ticket each, in order, with Decode: the
// pages are not PNG files, and DecodeBytes of a PNG adds nothing but the PNG decoder.
func readbackPages(t *testing.T, what string, pages []string, tickets []PrintedTicket) {
	start := time.Now()
	if len(pages) != len(tickets) {
		t.Fatalf("%s: %d pages for %d tickets", what, len(pages), len(tickets))
	}
	var mu sync.Mutex
	var missed []string
	parallel(len(pages), func(i int) {
		img, err := readPGM(pages[i])
		if err != nil {
			t.Error(err)
			return
		}
		want := tickets[i].QRText
		if got, err := qrdecode.Decode(img); err != nil || got != want {
			mu.Lock()
			missed = append(missed, fmt.Sprintf("page %d (%d bytes): read %.30q, %v", i+1, len(want), got, err))
			mu.Unlock()
		}
	})
	t.Logf("%s: %d pages decoded in %v", what, len(pages), time.Since(start).Round(time.Millisecond))
	if len(missed) > 0 {
		t.Errorf("%s: %d of %d pages not read:\n%s", what, len(missed), len(pages), strings.Join(missed, "\n"))
	}
}
